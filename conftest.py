"""Repository-wide pytest hooks: remember `git status` when the run starts, and run the tests marked
`run_last` after everything else (after nbval has executed every notebook), so they can check that the
whole run left the repository as it found it."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def git_status():
    """`git status --porcelain` of the course (untracked files included; ignored ones are not listed), or None."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def pytest_configure(config):
    config.course_git_status = git_status      # for the tests: request.config.course_git_status()


def pytest_sessionstart(session):
    session.config.git_status_at_start = git_status()


def pytest_collection_modifyitems(session, config, items):
    last = [item for item in items if item.get_closest_marker("run_last")]
    items[:] = [item for item in items if not item.get_closest_marker("run_last")] + last
