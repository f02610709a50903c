"""The one id parser (api_path_id): ids are 1..2^53-1 (BIGINT AUTO_INCREMENT, what JSON
carries exactly). A well-formed id that names nothing is 404 on every route, never a 500
and never another row (no truncation to 32 bits); anything else is 400 naming the path."""
import pytest

from conftest import problem

BIG = 2**53 - 1
PATHS = [
    "/api/v1/suppliers/{}",
    "/api/v1/contracts/{}",
    "/api/v1/services/{}",
    "/api/v1/services/1/subscriptions/{}",
    "/api/v1/scenarios/{}",
    "/api/v1/forecasts/{}",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("id_", [2**32, 2**32 + 1, BIG])
def test_large_ids_are_404(api, path, id_):
    problem(api.get(path.format(id_), role="finance_director"), 404, "not-found")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("bad", [str(BIG + 1), "0", "-1", "01", "1x", "99999999999999999999"])
def test_malformed_ids_are_400(api, path, bad):
    p = problem(api.get(path.format(bad), role="finance_director"), 400, "bad-request")
    assert any(e["field"].startswith("path:") for e in p.get("errors", [])), p
