"""A pytest plugin for the determinism stage: nbval applies display updates as Jupyter does.

nbval 0.11 records a cell's `display_data` as it was first shown and ignores every later
`update_display_data` ("unhandled iopub msg"), while the build's execution (nbclient) keeps each
display's last state. A dashboard updates one display in place and ends as its run's replay, so
nbval would compare the first frame with the build's replay. This plugin keeps a reference to
the data of every display that has a display_id, and when an update for that id arrives it
changes that data in place: the output nbval stored then holds the final state, as in the build.
Loaded by the Makefile's `notebooks` stage with `-p nbval_display_updates`.
"""

from nbformat import from_dict
from nbval.kernel import RunningKernel

_plain_get_message = RunningKernel.get_message


def get_message(self, stream, timeout=None):
    msg = _plain_get_message(self, stream, timeout=timeout)
    if stream != "iopub":
        return msg
    shown = self.__dict__.setdefault("_nbval_displays", {})
    content = msg.get("content", {})
    display_id = content.get("transient", {}).get("display_id")
    if msg["msg_type"] == "display_data" and display_id:
        # nbval stores content["data"] as it is when it is already a NotebookNode (a plain dict
        # it would copy): make it one, and keep a handle on it
        content["data"] = from_dict(content["data"])
        shown[display_id] = content
    elif msg["msg_type"] == "update_display_data":
        if display_id in shown:
            shown[display_id]["data"].clear()
            shown[display_id]["data"].update(content["data"])
        msg = {**msg, "msg_type": "comm_display_update"}  # nbval skips comm* messages
    return msg


RunningKernel.get_message = get_message
