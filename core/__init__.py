"""The base every package shares: the exception tree (`errors`), the records that pass
between the pipeline stages (`records`) and sentence splitting and stemming (`text`)."""
