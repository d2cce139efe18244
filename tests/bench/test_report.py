"""JSON-line output of the benchmark harness."""

from __future__ import annotations

import io
import json
from pathlib import Path

from bench.loadgen import LoadResult
from bench.chat import LoadOutcome
from bench.report import Recorder, Status, machine_info, measurement_line


def test_a_measurement_is_one_json_object_on_one_line() -> None:
    line = measurement_line("chat", "replies_per_second", 123.4, "1/s", {"users": 50, "backend": "sqlite"})

    assert "\n" not in line
    record = json.loads(line)
    assert record["benchmark"] == "chat"
    assert record["metric"] == "replies_per_second"
    assert record["value"] == 123.4
    assert record["unit"] == "1/s"
    assert record["status"] == "ok"
    assert record["params"] == {"users": 50, "backend": "sqlite"}
    assert "note" not in record


def test_vietnamese_text_stays_readable_in_the_json_line() -> None:
    line = measurement_line("chat", "latency_p99", None, "", {}, Status.NOT_AVAILABLE, "không có lệnh /record")

    assert "không có lệnh" in line
    assert json.loads(line)["status"] == "not_available"


def test_recorder_prints_and_appends_every_measurement(tmp_path: Path) -> None:
    stream = io.StringIO()
    path = tmp_path / "results" / "run.jsonl"
    recorder = Recorder(path, stream)

    recorder.record("import", "fhir_resources_per_second", 5100.0, "1/s", backend="postgresql")
    recorder.not_available("chat", "latency_p99", "no /insurance yet", scenario="insurance")

    printed = [json.loads(line) for line in stream.getvalue().splitlines()]
    stored = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert printed == stored
    assert [record["metric"] for record in stored] == ["fhir_resources_per_second", "latency_p99"]
    assert stored[0]["params"] == {"backend": "postgresql"}
    assert stored[1]["status"] == "not_available"
    assert stored[1]["note"] == "no /insurance yet"


def test_machine_info_names_cores_cpu_memory_and_python() -> None:
    info = machine_info()

    assert info["nproc"] >= 1
    assert info["cpu_model"]
    assert info["python"].count(".") == 2
    assert info["date"].endswith("+00:00")
    json.dumps(info)


def test_load_outcome_reads_the_load_generator_output() -> None:
    result = LoadResult(
        latencies={"record_summary": [0.1, 0.2, 0.3], "insurance": []},
        replies=30, unavailable={"visit_page": "no button"}, duration=10.0, users=50,
    )
    result.errors["insurance"] += 2

    outcome = LoadOutcome.from_json(json.loads(json.dumps(result.to_json())))

    assert outcome.users == 50
    assert outcome.replies_per_second == 3.0
    assert set(outcome.latencies) == {"record_summary"}
    assert outcome.latencies["record_summary"].p50_ms == 200.0
    assert outcome.errors == {"insurance": 2}
    assert outcome.unavailable == {"visit_page": "no button"}
