"""Schemathesis hooks for the Pinning Service API run (Tools/schemathesis).

The spec types a pin's `cid` as a free string, so most strings schemathesis generates as
"valid" are not CIDs, and a pinning service must refuse them (400; CairnCLITests covers that
refusal). This hook puts a real CID, one the node holds, in place of a generated `cid` that
is not one, so the positive cases exercise pinning rather than CID parsing.
"""
import os
import re

import schemathesis

CID = re.compile(r"^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{58,})$")
KNOWN = os.environ["CAIRN_ST_CID"]


@schemathesis.hook
def before_call(context, case, **kwargs):
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("cid"), str) and not CID.match(body["cid"]):
        body["cid"] = KNOWN
