"""Reads `logreg bench --json` lines that a shell loop tagged with a label and a tab (a width, a build), as
bench/widths.sh and bench/compare-builds.sh produce them, into one structure both scripts print from."""
import collections
import json


def read_tagged_rows(stream):
    """Returns (order, runs): the (model, batch) configurations in first-seen order ("full" for batch 0), and per
    configuration and tag the list of bench rows (JSON objects) in the order they came. Lines without a batch size
    (the L-BFGS line of `logreg bench --lbfgs`) are skipped."""
    runs = collections.defaultdict(lambda: collections.defaultdict(list))
    order = []
    for line in stream:
        tag, text = line.rstrip("\n").split("\t", 1)
        row = json.loads(text)
        if "batch_size" not in row:
            continue
        key = (row["model"], "full" if row["batch_size"] == 0 else str(row["batch_size"]))
        if key not in order:
            order.append(key)
        runs[key][tag].append(row)
    return order, runs
