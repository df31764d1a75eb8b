"""The access log Modig writes itself (lib/access_log.AccessLog, around modig.served)."""

import re

import pytest

from modig.lib.access_log import AccessLog

LINE = re.compile(r'^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] (\S+) - "(\S+) (\S+) (\S+)" '
                  r"(\d{3}) (\d+\.\d{3})$")


def _environ(path: str, method: str = "GET") -> dict:
    return {"PATH_INFO": path, "REQUEST_METHOD": method, "REMOTE_ADDR": "10.0.0.7",
            "SERVER_PROTOCOL": "HTTP/1.1"}


def _lines(path) -> list[re.Match]:
    lines = path.read_text().splitlines()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return matches


def _answers(status: str):
    def application(environ, start_response):
        start_response(status, [("Content-Type", "text/plain")])
        return [b"ok"]

    return application


def test_one_line_per_request_in_granians_format(tmp_path):
    log = tmp_path / "access.log"
    with log.open("w") as stream:
        app = AccessLog(_answers("302 Found"), stream)
        assert app(_environ("/svara/start/"), lambda *a: None) == [b"ok"]
        app = AccessLog(_answers("200 OK"), stream)
        app(_environ("/svara/sida/2/", "POST"), lambda *a: None)
    first, second = _lines(log)
    assert first.groups()[:5] == ("10.0.0.7", "GET", "/svara/start/", "HTTP/1.1", "302")
    assert second.groups()[1:3] + second.groups()[4:5] == ("POST", "/svara/sida/2/", "200")


@pytest.mark.parametrize(("path", "logged"), [
    ("/s/kJbguwNsO3q17q58E6xyH5koIAGsecret/", "/s/…/"),
    ("/i/ABCD2345/", "/i/…/"),
])
def test_link_tokens_never_reach_the_line(tmp_path, path, logged):
    log = tmp_path / "access.log"
    with log.open("w") as stream:
        AccessLog(_answers("302 Found"), stream)(_environ(path), lambda *a: None)
    text = log.read_text()
    assert logged in text
    assert path.split("/")[2] not in text


def test_a_request_whose_application_fails_is_logged_as_500_and_the_error_goes_on(tmp_path):
    def fails(environ, start_response):
        raise RuntimeError("boom")

    log = tmp_path / "access.log"
    with log.open("w") as stream, pytest.raises(RuntimeError):
        AccessLog(fails, stream)(_environ("/rapporter/"), lambda *a: None)
    assert _lines(log)[0].group(5) == "500"


def test_a_closed_log_output_does_not_fail_the_request(tmp_path):
    stream = (tmp_path / "access.log").open("w")
    app = AccessLog(_answers("200 OK"), stream)
    stream.close()  # its descriptor is gone: the write fails with EBADF
    assert app(_environ("/svara/"), lambda *a: None) == [b"ok"]
