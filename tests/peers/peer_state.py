"""What the harness's HTTPS peers (api_server.py, oauth_server.py) share: the queue of
scripted behaviours a test posts to /_control, and the append-only log a test reads back."""
import json
import threading


class BehaviourQueue:
    """Behaviours in the order posted; each is used up by the first request it matches."""

    def __init__(self):
        self.lock = threading.Lock()
        self.queue = []

    def add(self, behaviours):
        with self.lock:
            self.queue.extend(behaviours)
            return len(self.queue)

    def reset(self):
        with self.lock:
            self.queue.clear()

    def listing(self):
        with self.lock:
            return list(self.queue)

    def first(self, matches):
        """Removes and returns the first behaviour for which matches(behaviour) holds, or None."""
        with self.lock:
            for i, behaviour in enumerate(self.queue):
                if matches(behaviour):
                    return self.queue.pop(i)
        return None


class Journal:
    """The append-only log file; line N is the entry with seq N."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        with open(path, "a+", encoding="utf-8") as log:
            log.seek(0)
            self.count = sum(1 for _ in log)

    def append(self, entry):
        with self.lock:
            entry["seq"] = self.count
            with open(self.path, "a", encoding="utf-8") as log:
                log.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.count += 1
            return entry["seq"]

    def since(self, start):
        with self.lock, open(self.path, encoding="utf-8") as log:
            lines = log.read().splitlines()
        return {"count": len(lines), "entries": [json.loads(line) for line in lines[max(start, 0):]]}
