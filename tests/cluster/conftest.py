"""Tests against the local test cluster (etc/cluster/cluster.sh): two bursards behind HAProxy on
three Galera nodes. tests/cluster/run.sh (`make test-cluster`) starts the cluster and sets
BURSAR_CLUSTER_ENV (and CLUSTER_ENV) to its DIR/cluster.env.

Fixtures: `cluster` (tests/cluster/load.py's Cluster on that cluster.env: .env, .sh(...) to run
cluster.sh on it, .node_sql(n, query)); without BURSAR_CLUSTER_ENV the tests that use it are
skipped. `fault_cluster`: the same, or else a cluster started for the fault tests and stopped after
(they also run standalone). `tokens` ({role: token} of the seeded tokens), `people`, `b1`, `b2`
(a client on each instance directly), `front` (a client on HAProxy), `make_token` (a token created
with bursard's command line on instance 1's config). The client, describe and expect are
tests/api/apiclient.py's. Standard library + requests + pytest (Debian packages).
"""
import os
from pathlib import Path

import pytest

from load import Cluster, cluster_for_tests
from apiclient import Api, read_env


@pytest.fixture(scope="session")
def cluster():
    path = os.environ.get("BURSAR_CLUSTER_ENV") or os.environ.get("CLUSTER_ENV")
    if not path:
        pytest.skip("no cluster: run with `make test-cluster` (BURSAR_CLUSTER_ENV=DIR/cluster.env)")
    return Cluster(read_env(path))


@pytest.fixture(scope="session")
def fault_cluster():
    with cluster_for_tests() as c:
        yield c


@pytest.fixture(scope="session")
def tokens(cluster):
    return cluster.tokens()


@pytest.fixture(scope="session")
def people(cluster):
    out = {}
    for line in Path(cluster.env["USERS_FILE"]).read_text().splitlines():
        role, email, password = line.split("\t")
        out[role] = (email, password)
    return out


def _client(base, tokens):
    c = Api(base, tokens)
    yield c
    c.session.close()


@pytest.fixture
def b1(cluster, tokens):
    yield from _client(cluster.env["BURSARD_1_URL"], tokens)


@pytest.fixture
def b2(cluster, tokens):
    yield from _client(cluster.env["BURSARD_2_URL"], tokens)


@pytest.fixture
def front(cluster, tokens):
    yield from _client(cluster.env["CLUSTER_URL"], tokens)


@pytest.fixture(scope="session")
def refresh_s(cluster):
    """The instances' cache.refresh_ms, in seconds."""
    return int(cluster.env["CACHE_REFRESH_MS"]) / 1000.0


@pytest.fixture(scope="session")
def make_token(cluster):
    """make_token(role, schools=(), label=...) -> (id, token), with `bursard token create` on
    instance 1's configuration (through HAProxy's database front)."""
    return cluster.make_token
