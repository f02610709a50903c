import os, sys, socket, json
sys.path.insert(0, "/work/main/tests/api")
import requests
def test_probe(api, daemon, scratch_urn="159908"):
    for m in ("TRACE", "CONNECT"):
        with socket.create_connection(("127.0.0.1", daemon.port)) as s:
            s.sendall(f"{m} /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            out=b""
            while True:
                c=s.recv(65536)
                if not c: break
                out+=c
            print(m, out[:400])
    r = api.put("/api/v1/schools/159908", role="finance_director", json={}, headers={"If-Match": '"1"'})
    print(r.status_code, r.text)
    big = b'{"name":"' + b"x"*(2*1024*1024) + b'"}'
    try:
        r = api.put("/api/v1/schools/159908", role="finance_director", body=big, headers={"If-Match": '"1"'}, fresh=True)
        print("big", r.status_code, r.headers, r.text[:300])
    except Exception as e:
        print("big exc", e)
    r = api.get("/api/v1/schools", role="auditor", headers={"X-Big": "a"*20000}, fresh=True)
    print("bighdr", r.status_code, r.headers, r.text[:300])
    print(api.get("/healthz", fresh=True).status_code)
    r = api.get("/api/v1/audit?since=2000-01-01T00:00:00+00:00&limit=2", role="auditor")
    print("audit+", r.status_code, r.headers.get("Link"))
