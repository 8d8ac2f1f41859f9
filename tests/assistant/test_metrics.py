"""Metric functions against values computed by hand."""

from __future__ import annotations

import math

from assistant import metrics


def test_squad_normalisation_exact_match_and_f1() -> None:
    assert metrics.normalize_answer("The  U.S.-India “deal”!") == "usindia deal"
    assert metrics.exact_match("the Five rounds.", "five rounds") == 1.0
    assert metrics.exact_match("", "five rounds") == 0.0
    # prediction: vinay kwatra (2 tokens, after "the" is dropped); reference: vinay mohan kwatra (3)
    # common 2 -> precision 1, recall 2/3 -> F1 0.8
    assert metrics.token_f1("The Vinay Kwatra", "Vinay Mohan Kwatra") == 0.8
    assert metrics.token_f1("", "anything") == 0.0
    assert metrics.token_f1("", "") == 1.0
    assert metrics.token_f1("tariffs", "energy") == 0.0


def test_rouge_l() -> None:
    # LCS of "x b c d" and "c d e" is "c d": precision 2/4, recall 2/3
    assert metrics.rouge_l("x b c d", "c d e") == round(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3), 4)
    assert metrics.rouge_l("India signs deal", "India signs deal") == 1.0
    assert metrics.rouge_l("", "deal") == 0.0


def test_rank_metrics() -> None:
    ranking = [False, True, False, True]
    assert metrics.hit_at_k(ranking, 1) == 0.0 and metrics.hit_at_k(ranking, 2) == 1.0
    assert metrics.mrr_at_k(ranking, 4) == 0.5 and metrics.mrr_at_k(ranking, 1) == 0.0
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert metrics.ndcg_at_k(ranking, 10, ideal_relevant=2) == round(expected, 4)
    assert metrics.ndcg_at_k([False] * 5, 10, ideal_relevant=1) == 0.0  # no relevant passage
    assert metrics.ndcg_at_k([False] * 5, 10, ideal_relevant=0) == 0.0
    assert metrics.recall_at_k([{0}, set(), {0, 1}], expected=3, k=3) == round(2 / 3, 4)
    assert metrics.recall_at_k([{0}, set(), {0, 1}], expected=3, k=1) == round(1 / 3, 4)
    assert metrics.recall_at_k([], expected=0, k=5) == 0.0


def test_abstention_precision_and_recall() -> None:
    abstained = [True, True, False, False]
    unanswerable = [True, False, True, False]
    assert metrics.precision_recall(abstained, unanswerable) == (0.5, 0.5)
    assert metrics.precision_recall([False, False], [False, False]) == (None, None)  # nothing to divide by
    assert metrics.precision_recall([True, True], [True, True]) == (1.0, 1.0)  # all unanswerable, all declined


def test_percentiles_and_mean() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 100.0]
    assert metrics.percentile(values, 0.5) == 30.0
    assert metrics.percentile(values, 0.95) == 100.0
    assert metrics.percentile([], 0.5) == 0.0
    assert metrics.mean([1.0, None, 0.0]) == 0.5
    assert metrics.mean([None]) is None
