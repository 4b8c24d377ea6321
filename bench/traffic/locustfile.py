"""Simulated users of each role for the load test (bench/traffic/run.py starts locust with this file).

Runs inside locust's own process (gevent). The accounts come from the JSON file named by
LOAD_ACCOUNTS, written by run.py: `{"sme": [...], "leader": [...], "official": [...], "chains": [...]}`,
each account `{"token", "enterprise_id"}`. Requests are grouped by route (`name=`), so ids
do not make one row each. A 5xx or a lost connection is a failure; so is any 4xx a task does
not expect (e.g. a 409 when inviting a pair already invited is expected, a 422 is not).
"""
from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())
_NEXT = {role: itertools.cycle(ACCOUNTS[role]) for role in ("sme", "leader", "official")}

# Bilingual product words a buyer or seller would type (bench/data is for quality; these are traffic).
WORDS = ["电机控制器", "motor controller", "铝合金压铸", "aluminium die casting", "线束", "wiring harness",
         "轴承", "bearing", "IGBT模块", "功率模块", "减速器", "gear reducer", "钛合金锻件", "titanium forging",
         "传感器", "sensor", "注塑件", "injection moulding", "电池包", "battery pack"]


def _check(response, expected=(200,)):
    """Mark the response: a status outside `expected` is a failure, named by its code."""
    if response.status_code in expected:
        response.success()
    else:
        response.failure(f"HTTP {response.status_code}")


class _RoleUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    role = ""

    def on_start(self):
        account = next(_NEXT[self.role])
        self.enterprise_id = account.get("enterprise_id")
        self.client.headers["Authorization"] = f"Bearer {account['token']}"
        self.own_items: list[str] = []

    def get(self, url, name, expected=(200,), **kwargs):
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            _check(response, expected)
            return response

    def send(self, method, url, name, expected, **kwargs):
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as response:
            _check(response, expected)
            return response


class Visitor(HttpUser):
    """Anonymous: the home page, search, the public lists; the health check is the baseline."""
    weight = 2
    wait_time = between(0.5, 2.0)

    @task(3)
    def browse_lists(self):
        kind = random.choice(["supply-items", "demand-items"])
        with self.client.get(f"/api/v1/{kind}?q={random.choice(WORDS)}", name=f"GET /api/v1/{kind}?q",
                             catch_response=True) as response:
            _check(response)

    @task(2)
    def search_page(self):
        with self.client.get(f"/search?q={random.choice(WORDS)}", name="GET /search",
                             catch_response=True) as response:
            _check(response)

    @task(1)
    def home(self):
        with self.client.get("/", name="GET /", catch_response=True) as response:
            _check(response)

    @task(1)
    def health(self):
        with self.client.get("/api/v1/health", name="GET /api/v1/health (baseline)",
                             catch_response=True) as response:
            _check(response)


class Sme(_RoleUser):
    """An SME: publishes products, browses opportunities, answers invitations, imports a small file."""
    weight = 3
    role = "sme"

    @task(3)
    def opportunities(self):
        self.get(f"/api/v1/enterprises/{self.enterprise_id}/opportunities",
                 "GET /api/v1/enterprises/<id>/opportunities")

    @task(2)
    def browse_demand(self):
        self.get(f"/api/v1/demand-items?q={random.choice(WORDS)}", "GET /api/v1/demand-items?q (sme)")

    @task(1)
    def publish(self):
        word = random.choice(WORDS)
        body = {"name": f"{word} {random.randint(1, 999)}型", "description": f"{word}，批量供货，IATF16949",
                "capacity": random.randint(1000, 100000), "unit": "件"}
        response = self.send("POST", "/api/v1/supply-items", "POST /api/v1/supply-items", (201,), json=body)
        if response.status_code == 201:
            self.own_items.append(response.json()["data"]["id"])

    @task(1)
    def answer_invitations(self):
        listed = self.get("/api/v1/engagements?status=invited", "GET /api/v1/engagements?status=invited")
        if listed.status_code != 200:
            return
        for engagement in listed.json()["data"][:2]:
            # 409: the other side moved it meanwhile, or another simulated user of this firm answered
            self.send("PATCH", f"/api/v1/engagements/{engagement['id']}", "PATCH /api/v1/engagements/<id>",
                      (200, 409), json={"status": "accepted"})

    @task(1)
    def import_file(self):
        rows = "\n".join(f",{self.enterprise_id},{random.choice(WORDS)} 批次{i},导入测试,5000,件"
                         for i in range(20))
        body = f"id,enterprise_id,name,description,capacity,unit\n{rows}\n".encode()
        self.send("POST", "/api/v1/imports", "POST /api/v1/imports", (200,),
                  data={"kind": "supply", "mode": "all_or_nothing"},
                  files={"file": ("supply.csv", body, "text/csv")})


class Leader(_RoleUser):
    """A chain leader: posts demand, reads its suggestions, invites the best local fit."""
    weight = 2
    role = "leader"

    @task(2)
    def post_demand(self):
        word = random.choice(WORDS)
        body = {"name": word, "description": f"{word}，年需求量稳定", "quantity": random.randint(100, 50000),
                "unit_price": random.randint(10, 5000)}
        response = self.send("POST", "/api/v1/demand-items", "POST /api/v1/demand-items", (201,), json=body)
        if response.status_code == 201:
            self.own_items.append(response.json()["data"]["id"])

    @task(4)
    def suggestions(self):
        if not self.own_items:
            return self.post_demand()
        item_id = random.choice(self.own_items)
        response = self.get(f"/api/v1/demand-items/{item_id}/matches", "GET /api/v1/demand-items/<id>/matches")
        if response.status_code == 200 and response.json()["data"] and random.random() < 0.3:
            self.invite(item_id, response.json()["data"][0])

    def invite(self, item_id, match):
        # 409: this pair is already invited (an earlier task of this leader)
        self.send("POST", "/api/v1/engagements", "POST /api/v1/engagements", (201, 409),
                  json={"demand_item_id": item_id, "supplier_id": match["enterprise"]["id"]})

    @task(2)
    def browse_supply(self):
        self.get(f"/api/v1/supply-items?q={random.choice(WORDS)}", "GET /api/v1/supply-items?q (leader)")


class Official(_RoleUser):
    """An official: the dashboard, a chain's gap map and localization, the docking funnel."""
    weight = 1
    role = "official"

    @task(2)
    def dashboard(self):
        self.get("/api/v1/dashboard", "GET /api/v1/dashboard")

    @task(2)
    def gap_map(self):
        chain = random.choice(ACCOUNTS["chains"])
        self.get(f"/api/v1/chains/{chain}/gap-map", "GET /api/v1/chains/<id>/gap-map")

    @task(1)
    def localization(self):
        chain = random.choice(ACCOUNTS["chains"])
        self.get(f"/api/v1/chains/{chain}/localization", "GET /api/v1/chains/<id>/localization")

    @task(1)
    def funnel(self):
        self.get("/api/v1/engagements/funnel", "GET /api/v1/engagements/funnel")
