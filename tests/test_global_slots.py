"""The run-wide request slots: first come, unless a host is behind the rest of the run."""

from __future__ import annotations

import asyncio

from citecheck.net.hosts import GlobalSlots, Host


async def _order(lefts: dict[str, int], arrivals: list[str], limit: int = 4) -> list[str]:
    """The order in which requests of the named hosts (arriving in `arrivals` order while
    every slot is taken, 1 per host allowed) get a slot."""
    hosts = {name: Host(name, 8) for name in lefts}
    for name, left in lefts.items():
        hosts[name].remaining = left
    slots = GlobalSlots(limit, hosts, per_host=1)
    served: list[str] = []
    gate = asyncio.Event()

    async def request(name: str) -> None:
        async with slots.held(hosts[name]):
            served.append(name)
            await gate.wait() if name == "first" else asyncio.sleep(0)

    hosts["first"] = Host("first", 8)
    firsts = [asyncio.create_task(request("first")) for _ in range(limit)]
    await asyncio.sleep(0)
    tasks = []
    for name in arrivals:
        tasks.append(asyncio.create_task(request(name)))
        await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(*firsts, *tasks)
    return served[limit:]


def test_first_come_when_no_host_is_behind():
    # 10 URLs left on each of 3 hosts, 100 on others: each keeps up with 1 of 4 slots
    got = asyncio.run(_order({"a": 10, "b": 10, "c": 10, "rest": 100}, ["c", "a", "b", "a"]))
    assert got == ["c", "a", "b", "a"]


def test_a_host_behind_the_run_goes_first():
    # "held" has 50 of the 160 URLs left: with 1 of 4 slots it cannot keep up with the rest
    lefts = {"a": 5, "b": 5, "held": 50, "rest": 100}
    got = asyncio.run(_order(lefts, ["a", "b", "held", "a"]))
    assert got[0] == "held"
    assert sorted(got) == ["a", "a", "b", "held"]


def test_a_cancelled_waiter_gives_its_turn_away():
    async def main() -> list[str]:
        hosts = {"a": Host("a", 8), "b": Host("b", 8)}
        slots = GlobalSlots(1, hosts, per_host=1)
        served: list[str] = []
        gate = asyncio.Event()

        async def request(name: str) -> None:
            async with slots.held(hosts[name]):
                served.append(name)
                if name == "a":
                    await gate.wait()

        holder = asyncio.create_task(request("a"))
        await asyncio.sleep(0)
        doomed = asyncio.create_task(request("b"))
        later = asyncio.create_task(request("b"))
        await asyncio.sleep(0)
        doomed.cancel()
        gate.set()
        await asyncio.gather(holder, later)
        await asyncio.gather(doomed, return_exceptions=True)
        # and the slot is free again afterwards
        await asyncio.wait_for(request("a"), 1)
        return served

    assert asyncio.run(main()) == ["a", "b", "a"]
