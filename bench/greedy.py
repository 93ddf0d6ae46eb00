"""A greedy baseline for the planner, for comparison in bench/planner_bench.py only.

Day by day (a block of a round's days at a time, in date order), it takes for each round a
course leader and then the trainers who can take the block, are free on its dates and within
their cap, preferring a municipality not yet in the team, then the lowest load against the
cap, then the shortest distance to the venue. It never revisits a choice.
"""

from collections import defaultdict

from yrkesresan.staffing import planner


def plan(problem):
    """A set of (day id, person id, team) for `problem`, as planner.solve returns."""
    booked = set()  # (person, date)
    load = defaultdict(int)
    assignments = set()

    def free(person, days):
        if any((person.id, d.date) in booked for d in days):
            return False
        return person.cap is None or person.used + load[person.id] + len(days) <= person.cap

    def take(person, days, team):
        for d in days:
            booked.add((person.id, d.date))
            assignments.add((d.id, person.id, team))
        load[person.id] += len(days)

    def ratio(person):
        return (person.used + load[person.id]) / person.cap if person.cap else 0

    work = []
    for r in problem.rounds:
        work.append((r.days[0].date, 0, r, None, r.days))
        for b, block in enumerate(r.blocks(problem.block_length)):
            work.append((block[0].date, 1, r, b, block))
    work.sort(key=lambda w: (w[0], w[1], w[2].id))
    for _date, kind, r, b, days in work:
        if kind == 0:
            leaders = [
                p
                for p in problem.people
                if p.leader and planner.can_take(p, r, days, as_leader=True) and free(p, days)
            ]
            if leaders:
                take(min(leaders, key=lambda p: (ratio(p), p.id)), days, 0)
            continue
        team = []
        places = defaultdict(int)
        candidates = [
            p
            for p in problem.people
            if p.trainer and planner.can_take(p, r, days) and free(p, days)
        ]
        while candidates and len(team) < problem.team_size:
            best = min(
                candidates,
                key=lambda p: (
                    places[p.municipality],
                    ratio(p),
                    sum(planner.distance(p, d) for d in days),
                    p.id,
                ),
            )
            candidates.remove(best)
            team.append(best)
            places[best.municipality] += 1
            take(best, days, b + 1)
    return assignments
