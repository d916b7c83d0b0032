#!/usr/bin/env python3
"""Writes per second of one client sending SPARQL INSERT DATA one after another.

Usage: bench/durability_writes.py PORT COUNT LABEL, against a server started with
EVENTGRAPH_WRITE_TOKEN=t and --durability sync or process (README, Durability).
"""
import http.client
import sys
import time

port, count, label = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
connection = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer t", "Content-Type": "application/sparql-update"}
started = time.time()
for i in range(count):
    body = f"INSERT DATA {{ GRAPH <urn:b> {{ <urn:b:{label}{i}> <urn:b:p> {i} }} }}"
    connection.request("POST", "/sparql", body, headers)
    response = connection.getresponse()
    response.read()
    assert response.status == 204, response.status
elapsed = time.time() - started
print(f"{label}: {count} writes in {elapsed:.2f}s = {count / elapsed:.0f} writes/s, "
      f"mean {1000 * elapsed / count:.2f} ms")
