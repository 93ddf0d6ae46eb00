"""The planner against the greedy baseline on a national term.

    DATABASE_URL=postgres://… .venv/bin/python bench/planner_bench.py [--limit 20] [--workers 2]

The database holds the scale data (`manage.py generate_scale_data --staff 60000 --years 1
--seed 1`): 16 support structures and their rounds. The term is the scale data's next term
(every round still to be staffed). The pool is 400 trainers nationally: the scale data's
trainers and course leaders, topped up with each structure's most experienced staff in
proportion to its rounds, each with a seeded cap (4–10 days), trainer training (80 % of the
courses) and availability (75 % of the term's course dates). Each structure's term is solved
as the coordinator would, one structure at a time, by the planner (`--limit` seconds,
`--workers` threads) and by the greedy baseline (bench/greedy.py); both plans are scored by
the same `planner.evaluate`. Prints a Markdown table and writes bench/results/planner.json.
"""

import argparse
import datetime
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from bench import greedy  # noqa: E402
from yrkesresan.accounts.models import RoleAssignment, User  # noqa: E402
from yrkesresan.organisations.models import SupportStructure  # noqa: E402
from yrkesresan.rounds.models import Round, term_dates, term_of  # noqa: E402
from yrkesresan.staffing import planner  # noqa: E402
from yrkesresan.staffing.plans import load_problem  # noqa: E402

POOL = 400
Role = RoleAssignment.Role


def next_term(today):
    return term_of(term_dates(term_of(today))[1] + datetime.timedelta(days=1))


def national_pool(term, rng):
    """{structure: [Person]} with POOL trainers in all, as the module docstring says."""
    structures = list(SupportStructure.objects.order_by("pk"))
    rounds = {
        s.pk: Round.objects.filter(structure=s, term=term).exclude(status="cancelled").count()
        for s in structures
    }
    total = sum(rounds.values()) or 1
    pool = {}
    for s in structures:
        wanted = max(8, round(POOL * rounds[s.pk] / total))
        teaching = [Role.TRAINER, Role.COURSE_LEADER]
        roles = RoleAssignment.objects.filter(structure=s, role__in=teaching)
        leaders = set(roles.filter(role=Role.COURSE_LEADER).values_list("user_id", flat=True))
        ids = list(dict.fromkeys(roles.order_by("user_id").values_list("user_id", flat=True)))
        if len(ids) < wanted:
            extra = (
                User.objects.filter(municipality__county__support_structures=s, roles__isnull=True)
                .order_by("profession_started_on", "pk")
                .values_list("pk", flat=True)[: wanted - len(ids)]
            )
            ids += list(extra)
        pool[s.pk] = (s, ids[:wanted], leaders)
    return pool


def problem_for(structure, ids, leaders, term, rng):
    """The structure's term as load_problem reads it, with the bench's seeded pool."""
    base = load_problem(structure, term)
    dates = sorted({d.date for r in base.rounds for d in r.days})
    courses = sorted({r.course for r in base.rounds})
    municipality = dict(User.objects.filter(pk__in=ids).values_list("pk", "municipality__code"))
    people = []
    for pk in ids:
        people.append(
            planner.Person(
                pk,
                f"P{pk}",
                municipality=municipality.get(pk) or "",
                trainer=True,
                leader=pk in leaders,
                cap=rng.choice((4, 6, 8, 10)),
                trained=frozenset(c for c in courses if rng.random() < 0.8),
                available=frozenset(d for d in dates if rng.random() < 0.75),
            )
        )
    base.people = people
    return base


def weighted(problem, scores):
    return sum(problem.weights[goal] * scores[goal] for goal in problem.weights)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = Random(args.seed)
    term = next_term(timezone.localdate())
    rows = []
    for structure, ids, leaders in national_pool(term, rng).values():
        problem = problem_for(structure, ids, leaders, term, rng)
        if not problem.rounds:
            continue
        started = time.perf_counter()
        greedy_plan = greedy.plan(problem)
        greedy_seconds = time.perf_counter() - started
        greedy_scores = planner.evaluate(problem, greedy_plan)
        result = planner.solve(problem, time_limit=args.limit, workers=args.workers)
        rows.append(
            {
                "structure": structure.short_name or structure.name,
                "rounds": len(problem.rounds),
                "days": sum(len(r.days) for r in problem.rounds),
                "trainers": len(problem.people),
                "status": result.status,
                "first_solution_s": round(result.first_solution_time or 0, 3),
                "solve_s": round(result.wall_time, 2),
                "gap": result.gap,
                "objective": result.objective,
                "bound": result.bound,
                "cp_scores": result.scores,
                "cp_weighted": weighted(problem, result.scores),
                "greedy_s": round(greedy_seconds, 3),
                "greedy_scores": greedy_scores,
                "greedy_weighted": weighted(problem, greedy_scores),
            }
        )
        print(f"{rows[-1]['structure']}: {result.status} in {result.wall_time:.1f} s", flush=True)
    print_table(rows, term, args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "planner.json").write_text(json.dumps({"term": term, "rows": rows}, indent=2))


def print_table(rows, term, args):
    print(f"\nTerm {term}, {sum(r['trainers'] for r in rows)} trainers, "
          f"time limit {args.limit:g} s, {args.workers} workers\n")  # fmt: skip
    print("| Structure | Rounds | Days | Trainers | CP-SAT | First plan (s) | Solve (s) | Gap | "
          "Unstaffed CP / greedy | Same-municipality pairs CP / greedy | Max load % CP / greedy "
          "| Distance CP / greedy | Two teams CP / greedy | Weighted CP / greedy |")  # fmt: skip
    print("|" + "---|" * 14)
    totals = defaultdict(float)
    for r in rows:
        cp, gr = r["cp_scores"], r["greedy_scores"]
        gap = "–" if r["gap"] is None else f"{100 * r['gap']:.1f} %"
        print(
            f"| {r['structure']} | {r['rounds']} | {r['days']} | {r['trainers']} | {r['status']} "
            f"| {r['first_solution_s']:.2f} | {r['solve_s']:.1f} | {gap} "
            f"| {cp['unstaffed']} / {gr['unstaffed']} "
            f"| {cp['single_municipality']} / {gr['single_municipality']} "
            f"| {cp['balance']} / {gr['balance']} | {cp['distance']} / {gr['distance']} "
            f"| {cp['stability']} / {gr['stability']} "
            f"| {r['cp_weighted']} / {r['greedy_weighted']} |"
        )
        for key in ("rounds", "days", "trainers", "solve_s", "cp_weighted", "greedy_weighted"):
            totals[key] += r[key]
        totals["cp_unstaffed"] += cp["unstaffed"]
        totals["greedy_unstaffed"] += gr["unstaffed"]
        totals["first_max"] = max(totals["first_max"], r["first_solution_s"])
        totals["solve_max"] = max(totals["solve_max"], r["solve_s"])
    print(
        f"| **All** | {totals['rounds']:.0f} | {totals['days']:.0f} | {totals['trainers']:.0f} "
        f"| {sum(r['status'] == 'OPTIMAL' for r in rows)}/{len(rows)} optimal "
        f"| max {totals['first_max']:.2f} "
        f"| {totals['solve_s']:.0f} (max {totals['solve_max']:.1f}) "
        f"| | {totals['cp_unstaffed']:.0f} / {totals['greedy_unstaffed']:.0f} | | | | "
        f"| {totals['cp_weighted']:.0f} / {totals['greedy_weighted']:.0f} |"
    )


if __name__ == "__main__":
    main()
