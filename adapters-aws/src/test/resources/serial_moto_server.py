"""moto_server, but answering one request at a time.

moto 5.2's TransactWriteItems is not isolated: it applies items one by one and rolls back a cancelled
transaction by restoring a copy of the whole table, which erases writes that other requests made in the
meantime. DynamoDB's transactions are serializable; serving requests one at a time gives moto the same
guarantee. Arguments are moto_server's (-H host -p port).
"""
import werkzeug.serving

_run_simple = werkzeug.serving.run_simple


def _serial_run_simple(*args, **kwargs):
    kwargs["threaded"] = False
    return _run_simple(*args, **kwargs)


werkzeug.serving.run_simple = _serial_run_simple

from moto.server import main  # noqa: E402  (must import after the patch)

if __name__ == "__main__":
    main()
