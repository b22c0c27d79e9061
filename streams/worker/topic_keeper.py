"""Topics as a service: a broker that lost its data (the embedded one keeps nothing across a restart;
a Kafka whose topics were deleted) no longer has the pipeline's topics, or has new ones of the same
name. Every few seconds the worker looks (streams/broker/topics.py, TopicWatch), creates the missing
ones with the layout the code declares, publishes every summary it owns again and builds its global
view anew; /health says degraded, with the reason, until the topics are back and the view is whole.
"""

from __future__ import annotations

import asyncio
import logging
import time

from mode import Service

from streams.broker.clients import broker_reachable
from streams.broker.topics import TopicLook, TopicWatch
from streams.contract.texts import Line, text
from streams.worker.service_settings import TopicWatchSettings
from streams.worker.snapshotting import Snapshots
from streams.worker.summaries import Summaries

log = logging.getLogger(__name__)


class TopicKeeper(Service):
    """Looks at the topics every `interval_s`; says what is missing until the summaries are whole again."""

    def __init__(
        self,
        settings: TopicWatchSettings,
        watch: TopicWatch,
        summaries: Summaries,
        snapshots: Snapshots,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.watch = watch
        self.summaries = summaries
        self.snapshots = snapshots
        self.lost: tuple[str, ...] = ()  # lost and not yet whole again (recreated, summaries published and read)
        self.problem = ""  # why missing topics cannot be created
        self._looking: asyncio.Future[TopicLook] | None = None  # a look in its thread
        self._look_began = 0.0
        self.unreachable_at: float | None = None  # when a tick last found the broker unreachable, until a look after

    @Service.task
    async def _watch(self) -> None:
        async for _ in self.itertimer(self.settings.interval_s, name="watch_topics"):
            await self.look()
            self.reason()  # says once when the topics are whole again, asked or not

    async def look(self) -> None:
        """One look, when the broker answers (an unreachable broker is /health's `broker` and its own log line).

        The look runs in a thread (kafka-python's admin client blocks) and is never abandoned: a look
        that takes longer than `write_timeout_s` is answered at a later tick, for it may have created
        the topics, and what it found lost is known only to it.
        """
        if not await broker_reachable(self.settings.bootstrap_servers):
            self.unreachable_at = time.monotonic()  # a broker that comes back may have lost its data
            return
        if self._looking is None:
            self._looking = asyncio.ensure_future(asyncio.to_thread(self.watch.look))
            self._look_began = time.monotonic()
        looking = self._looking
        await asyncio.wait({looking}, timeout=self.settings.write_timeout_s)
        if not looking.done():
            return  # still looking
        self._looking = None
        if looking.exception() is not None:  # the broker went away during the look: the next one sees
            log.debug("looking at the topics failed (%s)", type(looking.exception()).__name__)  # developers: English
            return
        self.seen(looking.result())
        if self.unreachable_at is not None and self._look_began > self.unreachable_at:
            self.unreachable_at = None  # looked at since the broker came back

    def seen(self, found: TopicLook) -> None:
        """Act on a look: one log line for what was lost, one for a problem, and the summaries published again."""
        if found.problem != self.problem:
            if found.problem:
                log.error("%s", found.problem)
            self.problem = found.problem
        if found.lost:
            log.warning(
                Line(
                    "log.topics_lost",
                    topics=", ".join(found.lost),
                    created=", ".join(found.created) or text("log.none"),
                )
            )
            self.lost = tuple(sorted({*self.lost, *found.lost}))
            self.summaries.publish_again(topic_lost=self.summaries.settings.topic in found.lost)
            self.snapshots.wanted.set()  # the snapshot topic may be empty now: a full snapshot soon

    def reason(self) -> str:
        """Why /health says degraded for the topics, or "" once they are back and the view is whole again."""
        if self.problem:
            return self.problem
        if self.unreachable_at is not None:
            return text("health.topics_unlooked")
        if self.lost and self.summaries.view_whole:
            log.info(Line("log.topics_back", topics=", ".join(self.lost)))
            self.lost = ()
        if self.lost:
            return text("health.topics_lost", topics=", ".join(self.lost))
        return ""
