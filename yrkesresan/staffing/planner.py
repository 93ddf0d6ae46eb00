"""The planner: a team on every course day and a course leader on every round of a term.

One CP-SAT model (OR-Tools) over plain data, so that the benchmark can feed it a national term
without a database; `services.propose_plan` loads a structure's term into a `Problem`
(`load_problem`) and stores the `PlanResult`.

The model
- `x[r, b, p]`: trainer p is in the team of block b of round r. A round's days are cut into
  blocks as the course's day plan says (`Day.team`: the days with one team number are one
  block; days 1–2 and 3–4 of the seed's four-day course): a team takes its days as a block,
  and the team of block b (in the order of the blocks' first days) is "Team b+1".
- `z[r, p]`: p is the course leader of round r (present on every day of the round).
- `short[r, b]` and `no_leader[r]`: slack, the trainers a block lacks and a round without a
  course leader. They make every term solvable, cost far more than any soft goal, and say which
  requirement is short; `explain` then reads the solution to say which rule stops whom.

Hard rules (a person who breaks a static rule gets no variable at all; the others are
constraints):
- team size: the trainers of a block plus its shortfall are what its days ask (`Day.trainers`,
  the most any of them asks: the seed's four);
- one course leader per round (or the round is reported short);
- nobody twice on one date, counting bookings outside the plan (`Person.busy`);
- only people in the pool (trainers) or with the course leader role (leaders), available and not
  withdrawn by their manager on every date they are given, and trainers trained for the course;
- each person's days in the term (days already given outside the plan included) within their cap;
- nobody trains or leads a round they are a participant of;
- the coordinator's locks are kept (contradictory or impossible locks raise `LockError`).

Soft goals, each with its weight in `WEIGHTS` and its score in `PlanResult.scores`:
- `single_municipality`: pairs of team members from the same municipality (a team of four
  from one municipality scores 6, two and two score 2);
- `balance`: the highest load of any trainer, in percent of their cap;
- `distance`: on physical days, each trainer's distance to the venue: 0 in the venue's
  municipality, 1 in its county, 2 elsewhere (from the shipped reference data: municipality
  and county codes; the venue's municipality is the one its address ends with);
- `stability`: trainers in more than one team of the same round (a team stays one group);
- `changes`: person-days of the last accepted plan that the new plan moves.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

from yrkesresan.core.errors import DomainError

# The cost of one unit of each goal. A missing trainer on one day costs more than any mix of
# soft goals can, so the planner staffs what it can first.
WEIGHTS = {
    "unstaffed": 10_000,
    "single_municipality": 30,
    "balance": 2,
    "distance": 3,
    "stability": 20,
    "changes": 50,
}


class LockError(DomainError):
    """Locks that no plan can keep; `problems` are (kind, person, days) for the message, each
    day as `_day_data` gives it (plain data: the task stores them in the plan's outcome).

    str(error) is the sentences of `lock_message`, made when it is read and so in the active
    language: Swedish on the pages, English on the command line."""

    status = 409
    code = "contradictory_locks"

    def __init__(self, problems):
        super().__init__()
        self.problems = problems

    def __str__(self):
        return " ".join(lock_message(*problem) for problem in self.problems)


def day_label(day):
    """A day of LockError.problems as the coordinator reads it, in the active language: "dag 3
    i Omgång 5 (2 mars 2027)"."""
    if isinstance(day, str):  # a plan's outcome stored before days were data
        return day
    round_name, number, date = day
    date = formats.date_format(datetime.date.fromisoformat(date), "SHORT_DATE_FORMAT")
    return _("day %(number)s of %(round)s (%(date)s)") % {
        "number": number,
        "round": round_name,
        "date": date,
    }


def lock_message(kind, person, days):
    """One lock no plan can keep, as a translated sentence naming the person and the days."""
    sentences = {
        TWICE_ON_DATE: _("%(person)s is locked on two rounds on one date: %(days)s."),
        NOT_IN_POOL: _("%(person)s is locked on %(days)s but is not in the pool."),
        TOO_MANY: _("More people are locked on %(days)s than the day needs: %(person)s."),
        NOT_TRAINED: _("%(person)s is locked on %(days)s but is not trained for the course."),
        NOT_AVAILABLE: _("%(person)s is locked on %(days)s but is not available that date."),
        WITHDRAWN: _("%(person)s is locked on %(days)s but their manager has withdrawn that date."),
        PARTICIPANT: _("%(person)s is locked on %(days)s but is a participant of the round."),
        BUSY: _("%(person)s is locked on %(days)s but is booked elsewhere that date."),
        CAP: _("%(person)s is locked on %(days)s, more days than their cap leaves this term."),
    }
    text = sentences.get(kind) or _("%(person)s is locked on %(days)s but cannot take that day.")
    return text % {"person": person, "days": ", ".join(day_label(day) for day in days)}


# Reasons a person is not on a day, in the order they are told.
NOT_TRAINED = "not_trained"
NOT_AVAILABLE = "not_available"
WITHDRAWN = "withdrawn"
PARTICIPANT = "participant"
BUSY = "busy"  # booked outside the plan on the date
OTHER_DAY = "other_day"  # cannot take another day of the same block
CAP = "cap"
ELSEWHERE = "elsewhere"  # the plan needs them elsewhere on the date
NOT_IN_POOL = "not_in_pool"  # only for locks: the person is not (or no longer) in the pool
TWICE_ON_DATE = "twice_on_date"  # only for locks: locked on two rounds or teams on one date
TOO_MANY = "too_many"  # only for locks: more people locked on a team than its days need
REASONS = [NOT_TRAINED, NOT_AVAILABLE, WITHDRAWN, PARTICIPANT, BUSY, OTHER_DAY, CAP, ELSEWHERE]


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    municipality: str = ""  # municipality code
    trainer: bool = False  # accepted in the structure's pool
    leader: bool = False  # holds the course leader role
    cap: int | None = None  # days per term; None is no cap
    trained: frozenset = frozenset()  # course ids
    available: frozenset = frozenset()  # dates marked available
    withdrawn: frozenset = frozenset()  # dates the manager withdrew
    busy: frozenset = frozenset()  # dates booked outside the plan
    used: int = 0  # days given this term outside the plan


@dataclass(frozen=True)
class Day:
    id: int
    number: int
    date: datetime.date
    physical: bool = False
    venue_municipality: str = ""  # municipality code, or "" when unknown
    trainers: int = 0  # trainers the day needs, from the day plan; 0: the problem's team_size
    team: int = 0  # the team (block) that takes it, from the day plan; 0: by block_length


@dataclass(frozen=True)
class Round:
    id: int
    name: str
    course: int
    days: tuple  # of Day, by number
    participants: frozenset = frozenset()  # person ids

    def blocks(self, length):
        """The days cut into the blocks a team takes: by the day plan's team numbers when the
        days carry them (in the order of each block's first day), else `length` days each."""
        if not all(day.team for day in self.days):
            return [self.days[i : i + length] for i in range(0, len(self.days), length)]
        blocks = {}
        for day in self.days:
            blocks.setdefault(day.team, []).append(day)
        return [tuple(block) for block in blocks.values()]


def block_size(block, default):
    """The trainers a block's team needs: the most any of its days asks for."""
    return max(day.trainers or default for day in block)


@dataclass
class Problem:
    rounds: list
    people: list
    locks: set = field(default_factory=set)  # (day id, person id, team); team 0 is leader
    previous: set = field(default_factory=set)  # the last accepted plan, the same triples
    # For days that do not carry their day plan's staffing (plain-data problems): the seed's.
    team_size: int = 4
    block_length: int = 2
    weights: dict = field(default_factory=lambda: dict(WEIGHTS))


def county(code):
    return code[:2]


def distance(person, day):
    if not day.physical or not day.venue_municipality or not person.municipality:
        return 0
    if person.municipality == day.venue_municipality:
        return 0
    return 1 if county(person.municipality) == county(day.venue_municipality) else 2


def static_reason(person, round, day, *, as_leader=False):
    """The first rule that keeps `person` off `day` whatever else is planned, or None."""
    if not as_leader and round.course not in person.trained:
        return NOT_TRAINED
    if person.id in round.participants:
        return PARTICIPANT
    if day.date in person.withdrawn:
        return WITHDRAWN
    if day.date not in person.available:
        return NOT_AVAILABLE
    if day.date in person.busy:
        return BUSY
    return None


def can_take(person, round, days, *, as_leader=False):
    return all(static_reason(person, round, day, as_leader=as_leader) is None for day in days)


@dataclass
class Shortfall:
    """A requirement the plan does not meet: the trainers of one day, or a round's leader."""

    round: str
    day: int  # day number; 0 for a missing course leader
    date: datetime.date | None
    needed: int
    planned: int
    possible: int  # people who pass the static rules on the date, the planned included
    why: dict  # reason -> [names]

    def as_dict(self):
        return {
            "round": self.round,
            "day": self.day,
            "date": self.date.isoformat() if self.date else None,
            "needed": self.needed,
            "planned": self.planned,
            "possible": self.possible,
            "why": self.why,
        }


@dataclass
class PlanResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    assignments: set  # (day id, person id, team)
    shortfalls: list
    scores: dict
    objective: float | None = None
    bound: float | None = None
    wall_time: float = 0.0
    first_solution_time: float | None = None

    @property
    def gap(self):
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return abs(self.objective - self.bound) / abs(self.objective)

    def summary(self):
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "wall_time": round(self.wall_time, 3),
            "first_solution_time": self.first_solution_time,
            "scores": self.scores,
            "shortfalls": [s.as_dict() for s in self.shortfalls],
        }


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self):
        super().__init__()
        self.first = None
        self.count = 0

    def on_solution_callback(self):
        self.count += 1
        if self.first is None:
            self.first = self.wall_time


def _day_data(r, day):
    """A day as LockError.problems name it: [round name, day number, ISO date] (JSON-ready)."""
    return [r.name, day.number, day.date.isoformat()]


def check_locks(problem):
    """Raise LockError for locks no plan can keep: a person locked on two rounds (or two
    teams) on one date, locked where a static rule keeps them off, locked on more days than
    their cap leaves, or more people locked on a team (or as course leader) than it needs."""
    where = {}
    for r in problem.rounds:
        for b, block in enumerate(r.blocks(problem.block_length)):
            for day in block:
                where[day.id] = (r, b, day, block)
    people = {p.id: p for p in problem.people}
    problems = []
    by_person_date = defaultdict(set)
    by_slot = defaultdict(set)  # (round, team) -> people locked on it
    locked_days = defaultdict(set)  # person -> (round, day) locked, the whole block or round
    for day_id, person_id, team in sorted(problem.locks):
        if day_id not in where or person_id not in people:
            continue
        r, b, day, block = where[day_id]
        person = people[person_id]
        as_leader = team == 0
        slot = (r.id, -1 if as_leader else b)
        by_person_date[(person_id, day.date)].add((slot, tuple(_day_data(r, day))))
        by_slot[slot].add(person_id)
        days = r.days if as_leader else block
        locked_days[person_id].update((r, d) for d in days)
        allowed = person.leader if as_leader else person.trainer
        for other in days if allowed else [day]:
            reason = (
                static_reason(person, r, other, as_leader=as_leader) if allowed else NOT_IN_POOL
            )
            if reason:
                problems.append((reason, person.name, [_day_data(r, other)]))
                break
    for (person_id, _date), slots in sorted(by_person_date.items(), key=lambda i: i[0][1]):
        if len({slot for slot, _ in slots}) > 1:
            labels = sorted(label for _, label in slots)
            problems.append((TWICE_ON_DATE, people[person_id].name, [list(x) for x in labels]))
    for person_id, days in sorted(locked_days.items()):
        person = people[person_id]
        if person.cap is not None and person.used + len(days) > person.cap:
            ordered = sorted(days, key=lambda rd: (rd[1].date, rd[0].name))
            problems.append((CAP, person.name, [_day_data(r, d) for r, d in ordered]))
    rounds = {r.id: r for r in problem.rounds}
    for (round_id, b), locked in sorted(by_slot.items()):
        r = rounds[round_id]
        if b == -1:
            needed, days = 1, r.days
        else:
            days = r.blocks(problem.block_length)[b]
            needed = block_size(days, problem.team_size)
        if len(locked) > needed:
            names = ", ".join(sorted(people[p].name for p in locked))
            problems.append((TOO_MANY, names, [_day_data(r, d) for d in days]))
    if problems:
        raise LockError(problems)


def solve(problem, *, time_limit=20.0, workers=2, seed=0):
    """The best plan CP-SAT finds within `time_limit` seconds; a PlanResult."""
    check_locks(problem)
    w = problem.weights
    length = problem.block_length
    model = cp_model.CpModel()
    x, z = {}, {}
    short, no_leader = {}, {}
    blocks = {}
    on_date = defaultdict(list)  # (person, date) -> vars
    days_of = defaultdict(list)  # person -> [(var, days)]
    objective = []

    for r in problem.rounds:
        blocks[r.id] = r.blocks(length)
        for b, block in enumerate(blocks[r.id]):
            size = block_size(block, problem.team_size)
            team = []
            for p in problem.people:
                if p.trainer and can_take(p, r, block):
                    var = model.new_bool_var(f"x_{r.id}_{b}_{p.id}")
                    x[r.id, b, p.id] = var
                    team.append(var)
                    days_of[p.id].append((var, len(block)))
                    for day in block:
                        on_date[p.id, day.date].append(var)
            short[r.id, b] = model.new_int_var(0, size, f"short_{r.id}_{b}")
            model.add(sum(team) + short[r.id, b] == size)
            objective.append(w["unstaffed"] * len(block) * short[r.id, b])
        leaders = []
        for p in problem.people:
            if p.leader and can_take(p, r, r.days, as_leader=True):
                var = model.new_bool_var(f"z_{r.id}_{p.id}")
                z[r.id, p.id] = var
                leaders.append(var)
                days_of[p.id].append((var, len(r.days)))
                for day in r.days:
                    on_date[p.id, day.date].append(var)
        no_leader[r.id] = model.new_bool_var(f"no_leader_{r.id}")
        model.add(sum(leaders) + no_leader[r.id] == 1)
        objective.append(w["unstaffed"] * len(r.days) * no_leader[r.id])

    # Nobody twice on one date.
    for vars_ in on_date.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)

    # Caps, and the highest load in percent of the cap (soft: balance).
    people = {p.id: p for p in problem.people}
    max_load = model.new_int_var(0, 100, "max_load")
    for person_id, taken in days_of.items():
        person = people[person_id]
        if person.cap is None:
            continue
        load = sum(n * var for var, n in taken)
        model.add(load + person.used <= person.cap)
        if person.trainer and person.cap > 0:
            model.add(100 * (load + person.used) <= max_load * person.cap)
    objective.append(w["balance"] * max_load)

    # Locks.
    where = {day.id: (r, b) for r in problem.rounds for b, blk in enumerate(blocks[r.id])
             for day in blk}  # fmt: skip
    for day_id, person_id, team in problem.locks:
        if day_id not in where:
            continue
        r, b = where[day_id]
        model.add(z[r.id, person_id] == 1 if team == 0 else x[r.id, b, person_id] == 1)

    # Soft goals.
    spread_terms, distance_terms, stability_terms, change_terms = [], [], [], []
    for r in problem.rounds:
        for b, block in enumerate(blocks[r.id]):
            by_municipality = defaultdict(list)
            for p in problem.people:
                var = x.get((r.id, b, p.id))
                if var is None:
                    continue
                if p.municipality:
                    by_municipality[p.municipality].append(var)
                far = sum(distance(p, day) for day in block)
                if far:
                    distance_terms.append(far * var)
            for vars_ in by_municipality.values():
                if len(vars_) > 1:
                    # Pairs of members from the same municipality, n(n-1)/2, bounded below
                    # by its tangents: a team of four from one place costs 6, two pairs 2.
                    size = block_size(block, problem.team_size)
                    pairs = model.new_int_var(0, size * size, "")
                    for k in range(1, size):
                        model.add(pairs >= k * (k - 1) // 2 + k * (sum(vars_) - k))
                    spread_terms.append(pairs)
        if len(blocks[r.id]) > 1:
            for p in problem.people:
                vars_ = [
                    x[k] for k in ((r.id, b, p.id) for b in range(len(blocks[r.id]))) if k in x
                ]
                if len(vars_) > 1:
                    twice = model.new_int_var(0, len(vars_), "")
                    model.add(twice >= sum(vars_) - 1)
                    stability_terms.append(twice)
    kept = defaultdict(int)  # variable key -> previous person-days on it
    for day_id, person_id, team in problem.previous:
        if day_id in where:
            r, b = where[day_id]
            kept[(r.id, person_id) if team == 0 else (r.id, b, person_id)] += 1
    for key, person_days in kept.items():
        var = (z if len(key) == 2 else x).get(key)
        if var is not None:
            change_terms.append(person_days * (1 - var))
    objective += [w["single_municipality"] * t for t in spread_terms]
    objective += [w["distance"] * t for t in distance_terms]
    objective += [w["stability"] * t for t in stability_terms]
    objective += [w["changes"] * t for t in change_terms]
    model.minimize(sum(objective))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    callback = _FirstSolution()
    started = time.perf_counter()
    status = solver.solve(model, callback)
    wall = time.perf_counter() - started
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PlanResult(name, set(), [], {}, wall_time=wall)

    assignments = set()
    for (round_id, b, person_id), var in x.items():
        if solver.value(var):
            r = next(r for r in problem.rounds if r.id == round_id)
            assignments.update((day.id, person_id, b + 1) for day in blocks[round_id][b])
    for (round_id, person_id), var in z.items():
        if solver.value(var):
            r = next(r for r in problem.rounds if r.id == round_id)
            assignments.update((day.id, person_id, 0) for day in r.days)
    return PlanResult(
        name,
        assignments,
        explain(problem, assignments),
        evaluate(problem, assignments),
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
        wall_time=wall,
        first_solution_time=callback.first,
    )


def explain(problem, assignments):
    """The shortfalls of a plan: each day short of trainers and each round without a course
    leader, with the people each rule keeps off it. Static rules come from the data; `CAP` and
    `ELSEWHERE` from the plan itself (the cap is full with the days it gives them, or it puts
    them in another round or team on the date)."""
    people = {p.id: p for p in problem.people}
    load = defaultdict(int)
    slot_on = {}  # (person, date) -> (round id, team)
    day_round = {}
    for r in problem.rounds:
        for day in r.days:
            day_round[day.id] = (r, day)
    for day_id, person_id, team in assignments:
        r, day = day_round[day_id]
        load[person_id] += 1
        slot_on[person_id, day.date] = (r.id, team, r.name)
    found = []
    for r in problem.rounds:
        for b, block in enumerate(r.blocks(problem.block_length)):
            team = b + 1
            members = {p for d, p, t in assignments if t == team and d == block[0].id}
            if len(members) >= block_size(block, problem.team_size):
                continue
            for day in block:
                found.append(_shortfall(problem, r, block, day, team, members, people, load,
                                        slot_on))  # fmt: skip
        leaders = {p for d, p, t in assignments if t == 0 and d == r.days[0].id}
        if not leaders:
            found.append(_shortfall(problem, r, r.days, None, 0, set(), people, load, slot_on))
    return found


def _shortfall(problem, r, block, day, team, members, people, load, slot_on):
    as_leader = team == 0
    why = defaultdict(list)
    possible = len(members)
    for p in sorted(people.values(), key=lambda p: p.name):
        if p.id in members or not (p.leader if as_leader else p.trainer):
            continue
        check = [day] if day else list(block)
        reason = next(
            (rs for d in check if (rs := static_reason(p, r, d, as_leader=as_leader))), None
        )
        if reason is None:
            possible += 1
            reason = next(
                (OTHER_DAY for d in block if static_reason(p, r, d, as_leader=as_leader)), None
            )
        if reason is None:
            clash = next((slot_on[p.id, d.date] for d in block if (p.id, d.date) in slot_on), None)
            if clash is not None:
                reason = ELSEWHERE
            elif p.cap is not None and p.used + load[p.id] + len(block) > p.cap:
                reason = CAP
        if reason:
            why[reason].append(p.name)
    return Shortfall(
        round=r.name,
        day=day.number if day else 0,
        date=day.date if day else None,
        needed=1 if as_leader else block_size(block, problem.team_size),
        planned=len(members),
        possible=possible,
        why={reason: why[reason] for reason in REASONS if why.get(reason)},
    )


def evaluate(problem, assignments):
    """The soft-goal scores (and the unstaffed person-days) of any plan, the planner's or the
    greedy baseline's, computed the same way."""
    people = {p.id: p for p in problem.people}
    day_round = {day.id: (r, day) for r in problem.rounds for day in r.days}
    teams = defaultdict(set)  # (round, team) -> people
    load = defaultdict(int)
    far = 0
    for day_id, person_id, team in assignments:
        r, day = day_round[day_id]
        load[person_id] += 1
        if team:
            teams[r.id, team].add(person_id)
            far += distance(people[person_id], day)
    unstaffed = 0
    for r in problem.rounds:
        for b, block in enumerate(r.blocks(problem.block_length)):
            needed = block_size(block, problem.team_size)
            unstaffed += max(0, needed - len(teams[r.id, b + 1])) * len(block)
        if not any(t == 0 and d == r.days[0].id for d, _p, t in assignments):
            unstaffed += len(r.days)
    spread = 0
    for members in teams.values():
        counts = defaultdict(int)
        for person_id in members:
            if people[person_id].municipality:
                counts[people[person_id].municipality] += 1
        spread += sum(c * (c - 1) // 2 for c in counts.values())
    in_teams = defaultdict(int)
    for (round_id, _team), members in teams.items():
        for person_id in members:
            in_teams[round_id, person_id] += 1
    stability = sum(n - 1 for n in in_teams.values() if n > 1)
    balance = max(
        (-(-100 * (load[p.id] + p.used) // p.cap) for p in problem.people if p.trainer and p.cap),
        default=0,
    )
    changes = len({(d, p) for d, p, _t in problem.previous} - {(d, p) for d, p, _t in assignments})
    return {
        "unstaffed": unstaffed,
        "single_municipality": spread,
        "balance": balance,
        "distance": far,
        "stability": stability,
        "changes": changes,
    }
