"""The HTTP calls of Mila's clockwork_tools client (clockwork_tools/client.py), made the way it
makes them, against a Clocktower gateway.

clockwork_tools cannot be installed here (no PyPI) and is not copied into this repository; it is a
thin layer over `requests`, so this script makes the same requests with `requests` itself:
- every call: `Authorization: Basic base64("<email>:<api key>")`, http://<host>:<port> (https only
  on 443), the endpoint without a leading slash;
- GET: `requests.get(url, params=params, headers=headers)`;
- PUT (user_props/set, user_props/delete): `requests.put(url, json=params, headers=headers)` with
  `Content-type: application/json` added to the headers;
- PUT user_dict_update: `requests.put(url, data=params, headers=headers)` (a form), with
  `update_pairs` as `json.dumps(update_pairs)`;
- a 200 answer is `response.json()`; anything else raises
  `Exception(f"Server rejected call with code {status}. {response.json()}")`.
Credentials come from CLOCKWORK_EMAIL and CLOCKWORK_API_KEY, as the client reads them.

Prints one JSON object: each call's result, or {"error": <the exception's text>}.
"""

import base64
import json
import os
import sys

import requests


class ClockworkCalls:
    def __init__(self, host, port):
        self.email = os.environ["CLOCKWORK_EMAIL"]
        self.api_key = os.environ["CLOCKWORK_API_KEY"]
        scheme = "https" if port == 443 else "http"
        self.base = f"{scheme}://{host}:{port}"

    def _headers(self):
        token = base64.b64encode(f"{self.email}:{self.api_key}".encode("utf-8"))
        return {"Authorization": f"Basic {str(token, 'utf-8')}"}

    def _request(self, endpoint, params, method="GET", send_json=True):
        url = f"{self.base}/{endpoint}"
        if method == "GET":
            response = requests.get(url, params=params, headers=self._headers())
        elif send_json:
            headers = self._headers()
            headers["Content-type"] = "application/json"
            response = requests.put(url, json=params, headers=headers)
        else:
            response = requests.put(url, data=params, headers=self._headers())
        if response.status_code == 200:
            return response.json()
        raise Exception(
            f"Server rejected call with code {response.status_code}. {response.json()}"
        )

    @staticmethod
    def _given(**kwargs):
        return {k: v for k, v in kwargs.items() if v is not None}

    def jobs_list(self, username=None, relative_time=None, cluster_name=None):
        params = self._given(
            username=username, relative_time=relative_time, cluster_name=cluster_name
        )
        return self._request("api/v1/clusters/jobs/list", params)

    def jobs_one(self, job_id=None, cluster_name=None):
        params = self._given(job_id=job_id, cluster_name=cluster_name)
        return self._request("api/v1/clusters/jobs/one", params)

    def get_user_props(self, job_id, cluster_name):
        params = {"job_id": job_id, "cluster_name": cluster_name}
        return self._request("api/v1/clusters/jobs/user_props/get", params)

    def set_user_props(self, job_id, cluster_name, updates):
        params = {"job_id": job_id, "cluster_name": cluster_name, "updates": updates}
        return self._request("api/v1/clusters/jobs/user_props/set", params, method="PUT")

    def delete_user_props(self, job_id, cluster_name, keys):
        params = {"job_id": job_id, "cluster_name": cluster_name, "keys": keys}
        return self._request(
            "api/v1/clusters/jobs/user_props/delete", params, method="PUT"
        )

    def jobs_user_dict_update(self, job_id=None, cluster_name=None, update_pairs={}):
        params = self._given(job_id=job_id, cluster_name=cluster_name)
        params["update_pairs"] = json.dumps(update_pairs)
        return self._request(
            "api/v1/clusters/jobs/user_dict_update", params, method="PUT", send_json=False
        )

    def nodes_list(self, cluster_name=None):
        params = self._given(cluster_name=cluster_name)
        return self._request("api/v1/clusters/nodes/list", params)

    def nodes_one(self, node_name=None, cluster_name=None):
        params = self._given(node_name=node_name, cluster_name=cluster_name)
        return self._request("api/v1/clusters/nodes/one", params)


def attempt(call):
    try:
        return call()
    except Exception as error:  # the client's own exception, as a user would see it
        return {"error": str(error)}


def main():
    host, port, cluster = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # Outside a Slurm job: the client only looks up its own node when SLURM_JOBID is set.
    assert "SLURM_JOBID" not in os.environ
    cw = ClockworkCalls(host, port)
    results = {
        "jobs_list": attempt(lambda: cw.jobs_list()),
        "jobs_list_cluster": attempt(lambda: cw.jobs_list(cluster_name=cluster)),
        "jobs_list_recent": attempt(lambda: cw.jobs_list(relative_time=3600)),
        "jobs_one": attempt(lambda: cw.jobs_one(job_id="1003", cluster_name=cluster)),
        "jobs_one_unknown": attempt(lambda: cw.jobs_one(job_id="999999")),
        "set_user_props": attempt(
            lambda: cw.set_user_props("1005", cluster, {"wandb": "https://wandb.ai/x/1", "n": 1})
        ),
        "set_user_props_again": attempt(lambda: cw.set_user_props(1005, cluster, {"n": 2})),
        "get_user_props": attempt(lambda: cw.get_user_props("1005", cluster)),
        "delete_user_props": attempt(lambda: cw.delete_user_props("1005", cluster, "n")),
        "get_after_delete": attempt(lambda: cw.get_user_props("1005", cluster)),
        "set_not_a_dict": attempt(lambda: cw.set_user_props("1005", cluster, ["a"])),
        "set_on_foreign_job": attempt(lambda: cw.set_user_props("1002", cluster, {"a": 1})),
        "jobs_user_dict_update": attempt(
            lambda: cw.jobs_user_dict_update("1001", cluster, {"checkpoint": "/ckpt/7"})
        ),
        "nodes_list": attempt(lambda: cw.nodes_list(cluster_name=cluster)),
        "nodes_one": attempt(lambda: cw.nodes_one(node_name="n03")),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
