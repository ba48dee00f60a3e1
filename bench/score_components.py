"""Score each NLP component on the example and counter-example sentences its knowledge files carry.

    python bench/score_components.py                        # a table per component and language
    python bench/score_components.py --component kg_discovery
    python bench/score_components.py --json                 # machine output

Every entry (relation pattern, frame, discovery rule, anaphor class; a modality reading, time role or quantity kind
of the `[[example]]` tables) is run through the real pipeline (`kg.nlp.pipeline_for`) on its own
sentences, expanded by `kg.nlp.examples` exactly as the tests expand them. Recall is the share of examples the entry reads; precision is examples read over
examples read plus counter-examples read (a counter-example read is a false positive).
Exit status 1 when any entry fails one of its sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.nlp.examples import COMPONENTS, Case, cases, fired, readings


@dataclass(frozen=True)
class Outcome:
    case: Case
    fired: bool
    read: tuple[tuple[str, ...], ...]

    @property
    def passed(self) -> bool:
        return self.fired == self.case.positive


@dataclass(frozen=True)
class Row:
    component: str
    lang: str
    examples: int
    counter: int
    passed: int
    found: int  # examples read
    false_positives: int  # counter-examples read

    @property
    def precision(self) -> float:
        read = self.found + self.false_positives
        return self.found / read if read else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.examples if self.examples else 1.0


def run(selected: Iterable[Case]) -> list[Outcome]:
    """Each case through the pipeline: whether its entry fired, and what it read."""
    outcomes = []
    for case in selected:
        found = readings(case)
        outcomes.append(Outcome(case, fired(case, found), tuple(sorted(found))))
    return outcomes


def summarize(outcomes: Sequence[Outcome]) -> list[Row]:
    """One row per component and language, in that order."""
    keys = sorted({(o.case.component, o.case.lang) for o in outcomes})
    rows = []
    for component, lang in keys:
        mine = [o for o in outcomes if (o.case.component, o.case.lang) == (component, lang)]
        positive = [o for o in mine if o.case.positive]
        negative = [o for o in mine if not o.case.positive]
        rows.append(
            Row(
                component,
                lang,
                examples=len(positive),
                counter=len(negative),
                passed=sum(o.passed for o in mine),
                found=sum(o.fired for o in positive),
                false_positives=sum(o.fired for o in negative),
            )
        )
    return rows


def failures(outcomes: Sequence[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if not o.passed]


def render(rows: Sequence[Row], failed: Sequence[Outcome]) -> str:
    """The table and the failing entries, for a terminal."""
    head = f"{'component':<14} {'lang':<4} {'examples':>8} {'counter':>7} {'passed':>9} {'precision':>9} {'recall':>6}"
    lines = [head, "-" * len(head)]
    for r in rows:
        total = r.examples + r.counter
        lines.append(
            f"{r.component:<14} {r.lang:<4} {r.examples:>8} {r.counter:>7} {f'{r.passed}/{total}':>9}"
            f" {r.precision:>9.3f} {r.recall:>6.3f}"
        )
    if failed:
        lines += ["", "failing entries:"]
        for o in failed:
            kind = "example" if o.case.positive else "counter"
            names = " ".join(x for x in o.case.expected if x)
            want = f" (want {names})" if o.case.positive else f" (not {names})" if names else ""
            read = "; ".join(" ".join(x for x in r if x) for r in o.read) or "nothing"
            lines.append(f"  {o.case.entry} [{kind}]{want} read {read}: {o.case.text}")
    return "\n".join(lines)


def to_json(rows: Sequence[Row], failed: Sequence[Outcome]) -> str:
    return json.dumps(
        {
            "components": [{**asdict(r), "precision": r.precision, "recall": r.recall} for r in rows],
            "failing": [{**asdict(o.case), "read": o.read} for o in failed],
        },
        ensure_ascii=False,
        indent=2,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--component", choices=sorted(COMPONENTS), help="score one component only")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--patterns",
        type=Path,
        help="a folder of pattern files to read the sentences from (default: shipped)",
    )
    args = parser.parse_args(argv)
    outcomes = run(cases(args.component or "", args.patterns))
    rows, failed = summarize(outcomes), failures(outcomes)
    print(to_json(rows, failed) if args.json else render(rows, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
