# ruff: noqa: E501  (the write-ups read best one sentence to a line)
"""Generated post-mortems in known clusters, for measuring `pmrepo related`.

Each cluster is one failure (a scenario) on one service, happening three times over the
years; the three write-ups word it differently (each picks its own title, cause and
lesson). Every scenario strikes two services, so each cluster has a near twin that shares
its wording but not its service: a suggestion from the twin is a wrong one. Singletons are
incidents of their own that nothing should be linked to.

    write_clusters(folder) -> list of (later id, earlier id) pairs that are related
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import NamedTuple


class Scenario(NamedTuple):
    tag: str
    titles: tuple[str, str, str]
    causes: tuple[str, str, str]
    lessons: tuple[str, str]


SCENARIOS = (
    Scenario(
        "capacity-limit",
        (
            "Database connection pool exhausted under peak load",
            "Requests timing out waiting for a free DB connection",
            "Connection pool saturation after traffic spike",
        ),
        (
            "The connection pool was capped at 20 connections; slow queries held them and new requests waited until they timed out.",
            "Every database connection in the pool was busy with long transactions, so callers blocked on checkout.",
            "Pool size had not been revisited since launch; a traffic spike drained the connection pool.",
        ),
        (
            "Alert on pool wait time, not only on error rate.",
            "Size connection pools from measured concurrency.",
        ),
    ),
    Scenario(
        "config-change",
        (
            "TLS certificate expired on public endpoint",
            "Clients rejected handshakes after certificate expiry",
            "Expired certificate broke HTTPS for all clients",
        ),
        (
            "The certificate was renewed by hand every year and the renewal reminder went to a mailbox nobody reads.",
            "Automatic renewal had silently failed for two months; the expiry date passed unnoticed.",
            "No monitor watched certificate expiry dates, and the manual rotation was forgotten.",
        ),
        (
            "Automate certificate rotation and alert 30 days before expiry.",
            "Track every certificate's expiry in one inventory.",
        ),
    ),
    Scenario(
        "capacity-limit",
        (
            "Disk full on primary database host",
            "Write failures after the data volume ran out of space",
            "Storage volume reached 100% and writes stopped",
        ),
        (
            "Log files and WAL segments filled the disk because retention cleanup had been disabled.",
            "The volume grew by 3% a day and no alert fired before it was completely full.",
            "Archived write-ahead logs were never pruned, so free space reached zero.",
        ),
        (
            "Alert on disk growth rate, not only on a fixed threshold.",
            "Keep retention jobs monitored like any other service.",
        ),
    ),
    Scenario(
        "deployment-bug",
        (
            "Memory leak in new release caused OOM kills",
            "Pods restarted repeatedly with out-of-memory errors after deploy",
            "Heap growth after release led to container OOM",
        ),
        (
            "A cache added in the release kept every response object, so heap usage grew until the kernel OOM killer ended the process.",
            "The new version leaked memory through an unbounded listener list; containers hit their memory limit.",
            "Objects retained by a static map grew without bound and the pods were OOM killed.",
        ),
        (
            "Run soak tests that watch memory over hours before release.",
            "Canary releases should compare memory growth with the previous version.",
        ),
    ),
    Scenario(
        "dependency-failure",
        (
            "DNS resolution failures inside the cluster",
            "Service discovery broke when DNS lookups timed out",
            "Intermittent NXDOMAIN errors from cluster DNS",
        ),
        (
            "The DNS resolver pods were overloaded and dropped queries, so lookups timed out.",
            "A misconfigured upstream resolver returned NXDOMAIN for internal names.",
            "DNS cache pods ran out of CPU and name resolution failed for dependent services.",
        ),
        (
            "Scale DNS with the cluster and alert on lookup latency.",
            "Cache DNS answers in clients to ride out resolver failures.",
        ),
    ),
    Scenario(
        "dependency-failure",
        (
            "Third-party payment gateway rate limited our requests",
            "HTTP 429 responses from the acquirer gateway",
            "Upstream provider throttling caused checkout failures",
        ),
        (
            "Our retries multiplied traffic to the gateway, which answered with 429 rate limit errors.",
            "The provider lowered our request quota and we had no backoff on throttling.",
            "A batch job and live traffic shared one API key, exceeding the gateway rate limit.",
        ),
        (
            "Use exponential backoff with jitter on every external call.",
            "Separate quotas for batch and interactive traffic.",
        ),
    ),
    Scenario(
        "data-volume",
        (
            "Message queue backlog delayed event processing",
            "Consumer lag grew to millions of messages",
            "Queue consumers fell behind during campaign",
        ),
        (
            "Consumers could not keep up with the producer rate, so the queue backlog grew for hours.",
            "Too few partitions limited consumer parallelism and lag kept rising.",
            "A burst of events exceeded consumer throughput and the backlog took hours to drain.",
        ),
        (
            "Load test consumers at campaign volumes.",
            "Alert on consumer lag age, not message count.",
        ),
    ),
    Scenario(
        "cascading-failure",
        (
            "Cache stampede after cache cluster restart",
            "Cold cache sent all reads to the database",
            "Thundering herd on database after cache flush",
        ),
        (
            "The cache was flushed during maintenance and every request missed, overloading the database.",
            "Keys expired at the same moment and thousands of clients recomputed them at once.",
            "A cache node restart emptied the cache, and the database could not absorb the read load.",
        ),
        (
            "Warm caches before sending traffic and add request coalescing.",
            "Spread key expiry with jitter.",
        ),
    ),
    Scenario(
        "deployment-bug",
        (
            "Schema migration locked the orders table",
            "Long-running migration blocked writes",
            "ALTER TABLE held a lock during business hours",
        ),
        (
            "The migration added a column with a default value, rewriting the table under an exclusive lock.",
            "An index build without CONCURRENTLY blocked every write to the table.",
            "The migration ran in the deploy pipeline and held a table lock for forty minutes.",
        ),
        (
            "Review migrations for locking behaviour before release.",
            "Run large migrations online, outside the deploy.",
        ),
    ),
    Scenario(
        "config-change",
        (
            "Feature flag rollout broke login for older apps",
            "Flag enabled for all users caused sign-in errors",
            "Misconfigured feature flag rejected legacy clients",
        ),
        (
            "A feature flag was turned on for 100% of users at once and older app versions could not handle the new response.",
            "The flag's targeting rule was inverted, enabling the feature for every legacy client.",
            "Flag changes skipped review, so a rollout meant for 1% reached everyone.",
        ),
        (
            "Roll out flags in stages with automatic rollback.",
            "Review flag targeting like code.",
        ),
    ),
    Scenario(
        "config-change",
        (
            "Load balancer health check misconfigured removed all targets",
            "All backends marked unhealthy after health check change",
            "Health check path change drained the target group",
        ),
        (
            "The health check path was changed to an endpoint that requires authentication, so every target failed the check.",
            "A new health check timeout was shorter than the endpoint's response time and all targets were marked unhealthy.",
            "The load balancer's health check port was wrong after a config change, removing every backend.",
        ),
        (
            "Validate health check changes against a canary target first.",
            "Alert when healthy targets drop below half.",
        ),
    ),
    Scenario(
        "human-error",
        (
            "Wrong cluster targeted by manual command",
            "Manual cleanup command deleted production resources",
            "Operator script ran against production instead of staging",
        ),
        (
            "The command line tool defaulted to the production context, so a cleanup meant for staging deleted production resources.",
            "Kubeconfig contexts had similar names and the tooling did not confirm the target cluster.",
            "The cleanup script had no dry-run and no guard against running on production.",
        ),
        (
            "Make production contexts explicit and require confirmation.",
            "Give destructive scripts a dry-run default.",
        ),
    ),
    Scenario(
        "dependency-failure",
        (
            "Object storage outage in one region",
            "Uploads failed during cloud storage degradation",
            "Regional storage service errors broke file uploads",
        ),
        (
            "The cloud provider's object storage returned 503 errors in our only region, and uploads had no fallback.",
            "A regional outage of the storage service made every upload fail; we had no second region.",
            "Uploads depended on a single storage bucket in one region that became unavailable.",
        ),
        (
            "Replicate critical buckets to a second region.",
            "Queue uploads locally when storage is unavailable.",
        ),
    ),
    Scenario(
        "deployment-bug",
        (
            "Clock skew broke token validation",
            "Authentication tokens rejected as not yet valid",
            "NTP drift caused JWT validation failures",
        ),
        (
            "Hosts built from a new image had NTP disabled; their clocks drifted and tokens were rejected as issued in the future.",
            "Time synchronisation stopped on a node pool, and token validation failed because of clock skew.",
            "The chrony service was missing from the base image, so clocks drifted minutes apart.",
        ),
        (
            "Monitor clock offset on every host.",
            "Allow a small clock skew tolerance in token checks.",
        ),
    ),
    Scenario(
        "data-volume",
        (
            "Search index rebuild overloaded the cluster",
            "Reindexing job saturated search nodes",
            "Full reindex caused search latency spike",
        ),
        (
            "A full reindex ran during peak hours and consumed all search cluster CPU.",
            "The reindex job had no throttling and starved user queries of resources.",
            "Index rebuild traffic competed with live queries on the same search nodes.",
        ),
        (
            "Throttle reindexing and schedule it off-peak.",
            "Build new indexes on separate nodes and swap aliases.",
        ),
    ),
)

SERVICES = (
    "orders-api",
    "payment-api",
    "identity-service",
    "search-api",
    "media-service",
    "billing-worker",
    "checkout-web",
    "inventory-service",
    "notification-service",
    "profile-api",
    "catalog-service",
    "shipping-api",
    "reporting-service",
    "gateway",
    "ledger-service",
)

SINGLETONS = (
    (
        "unknown",
        "Office Wi-Fi outage delayed the on-call response",
        "A broken access point left the office without network while on call.",
    ),
    (
        "human-error",
        "Marketing email sent twice to all customers",
        "The send job was retried by hand after a timeout that had in fact succeeded.",
    ),
    (
        "config-change",
        "Analytics dashboard showed wrong currency",
        "A locale setting defaulted to dollars for every region.",
    ),
    (
        "deployment-bug",
        "Mobile app crash on launch for one OS version",
        "A new animation library called an API missing on the oldest supported OS.",
    ),
    (
        "dependency-failure",
        "SMS provider delivered verification codes late",
        "The provider's carrier route was congested and messages queued for minutes.",
    ),
    (
        "capacity-limit",
        "Build farm queue blocked releases",
        "CI runners were shared with a load test that took every machine.",
    ),
    (
        "security",
        "Leaked API key found in public repository",
        "A key was committed in a test fixture and scraped within an hour.",
    ),
    (
        "data-volume",
        "Nightly export exceeded the spreadsheet row limit",
        "A partner's export grew past a million rows and the file was truncated.",
    ),
    (
        "unknown",
        "Status page did not update during outage",
        "The status page integration used an expired token.",
    ),
    (
        "config-change",
        "Time zone change shifted scheduled reports",
        "A server time zone setting moved report jobs by one hour.",
    ),
    (
        "deployment-bug",
        "Translation keys shown instead of text",
        "A release shipped without the compiled translation bundle.",
    ),
    (
        "human-error",
        "Support macro sent internal notes to customers",
        "A macro's visibility flag was toggled while editing its text.",
    ),
    (
        "dependency-failure",
        "Maps tiles failed to load in the store locator",
        "The map vendor retired an API version we still called.",
    ),
    (
        "capacity-limit",
        "Video transcoding queue took a day to drain",
        "Transcoding workers were sized for images, not the new video feature.",
    ),
    (
        "data-volume",
        "Audit log table grew past its partition",
        "A verbose debug flag wrote every request to the audit table.",
    ),
)

IMPACT = (
    "Customers saw errors for {minutes} minutes.",
    "About {percent}% of requests failed for {minutes} minutes.",
    "Latency rose sharply and some users gave up; the incident lasted {minutes} minutes.",
)


def _document(
    number: int, day: str, title: str, service: str, tag: str, summary: str, cause: str, lesson: str
) -> str:
    incident_id = f"INC-{day[:4]}-{number:04d}"
    return (
        f"---\nid: {incident_id}\ntitle: {title}\ndate: {day}\nstatus: PUBLISHED\n"
        f"severity: SEV2\nservices:\n  - {service}\nroot_cause_tags:\n  - {tag}\n"
        f"related: []\n---\n\n# {title}\n\n## Executive Summary\n\n{summary}\n\n"
        f"## Root Cause Analysis\n\n### Root Cause\n\n{cause}\n\n"
        f"## Lessons Learned\n\n### What Went Poorly\n\n- {lesson}\n"
    )


class _Planned(NamedTuple):
    day: str
    cluster: int | None
    body: tuple[str, str, str, str, str, str]  # title, service, tag, summary, cause, lesson


def _planned(rng: random.Random) -> list[_Planned]:
    planned = []
    for index, scenario in enumerate(SCENARIOS):
        for twin in range(2):
            service = SERVICES[(index + twin * 7) % len(SERVICES)]
            order = rng.sample(range(3), 3)
            for member, variant in enumerate(order):
                year = 2022 + member
                day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                impact = rng.choice(IMPACT).format(
                    minutes=rng.randint(5, 180), percent=rng.randint(2, 60)
                )
                title = f"{scenario.titles[variant]} on {service}"
                summary = f"{scenario.titles[variant]} affected {service}. {impact}"
                lesson = scenario.lessons[rng.randint(0, 1)]
                body = (title, service, scenario.tag, summary, scenario.causes[variant], lesson)
                planned.append(_Planned(day, index * 2 + twin, body))
    for number, (tag, title, cause) in enumerate(SINGLETONS):
        service = SERVICES[(number * 4) % len(SERVICES)]
        day = f"{2022 + number % 3}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        summary = f"{title}. " + rng.choice(IMPACT).format(minutes=30, percent=5)
        lesson = "Write a runbook for this case."
        planned.append(_Planned(day, None, (title, service, tag, summary, cause, lesson)))
    return sorted(planned, key=lambda item: item.day)


def write_clusters(folder: Path, seed: int = 24) -> list[tuple[str, str]]:
    """Write the generated post-mortems under folder (YYYY/Qn/INC-…); return the related
    pairs (later id, earlier id): every earlier member of the same cluster."""
    members: dict[int, list[str]] = {}
    pairs = []
    for number, item in enumerate(_planned(random.Random(seed)), start=1):
        incident_id = f"INC-{item.day[:4]}-{number:04d}"
        quarter = (int(item.day[5:7]) - 1) // 3 + 1
        target = folder / item.day[:4] / f"Q{quarter}" / f"{incident_id}-generated.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_document(number, item.day, *item.body), encoding="utf-8")
        if item.cluster is not None:
            earlier = members.setdefault(item.cluster, [])
            pairs.extend((incident_id, other) for other in earlier)
            earlier.append(incident_id)
    return pairs
