#!/usr/bin/env python3
"""Offline checks of Kubernetes manifests, used by deploy/check.sh.

  k8s_check.py schema --kube-version 1.33.0 FILE...   strict schema validation (kubernetes-validate)
  k8s_check.py policy FILE...                          MicroShop's workload/network policy

Each FILE may hold many YAML documents (a `helm template` output or a k8s/ file); the files
given in one call are checked together (a NetworkPolicy in one file may select a Deployment
of another). Prints one line per check, exits 1 on any error.
"""
import argparse
import sys

import yaml

# Kinds that are not part of the Kubernetes API schemas bundled with kubernetes-validate:
# custom resources of the Prometheus Operator and cert-manager, rendered only when their chart
# values enable them (observability.prometheusRule / observability.serviceMonitor,
# kafka.tls.certManager.issuer). They are skipped
# explicitly, by name, and reported as skipped; any other kind without a schema is an error.
CRD_KINDS_SKIPPED = {
    ("monitoring.coreos.com/v1", "PrometheusRule"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("cert-manager.io/v1", "Certificate"),
}

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}


def load(files):
    docs = []
    for f in files:
        with open(f) as fh:
            for i, doc in enumerate(yaml.safe_load_all(fh)):
                if doc is None:
                    continue
                docs.append((f, i, doc))
    return docs


def ident(doc):
    md = doc.get("metadata") or {}
    return "%s/%s" % (doc.get("kind", "?"), md.get("name", "?"))


# ------------------------------------------------------------------------------------ schema
def cmd_schema(args):
    from kubernetes_validate import utils as kv

    errors = checked = skipped = 0
    seen = {}
    for f, i, doc in load(args.files):
        if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
            print("ERROR %s doc %d: not a Kubernetes object (no apiVersion/kind)" % (f, i))
            errors += 1
            continue
        key = (doc["apiVersion"].split("/")[0] if "/" in doc["apiVersion"] else "", doc["kind"],
               (doc.get("metadata") or {}).get("namespace", ""), (doc.get("metadata") or {}).get("name"))
        if key in seen:
            print("ERROR %s: %s defined twice (also in %s)" % (f, ident(doc), seen[key]))
            errors += 1
        seen[key] = f
        if (doc["apiVersion"], doc["kind"]) in CRD_KINDS_SKIPPED:
            print("SKIP  %s: %s (%s is a CRD, not in the core API schemas)" % (f, ident(doc), doc["kind"]))
            skipped += 1
            continue
        try:
            version = kv.validate(doc, args.kube_version, strict=True)
            checked += 1
            if args.verbose:
                print("OK    %s: %s (Kubernetes %s, strict)" % (f, ident(doc), version))
        except kv.ValidationError as e:
            path = ".".join(str(p) for p in e.path)
            print("ERROR %s: %s: %s: %s" % (f, ident(doc), path or "<root>", e.message))
            errors += 1
        except kv.SchemaNotFoundError as e:
            print("ERROR %s: %s: %s" % (f, ident(doc), e.message))
            errors += 1
        except kv.VersionNotSupportedError:
            print("FATAL kubernetes-validate does not know Kubernetes %s" % args.kube_version)
            return 2
    print("schema: %d objects valid against Kubernetes %s (strict: unknown fields rejected), "
          "%d CRD objects skipped, %d errors  [%s]" % (checked, args.kube_version, skipped, errors,
                                                      " ".join(args.files)))
    return 1 if errors else 0


# ------------------------------------------------------------------------------------ policy
def selector_matches(selector, labels):
    """A LabelSelector (matchLabels + matchExpressions) against a label map."""
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions") or []:
        k, op, vals = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(k) not in vals:
            return False
        if op == "NotIn" and labels.get(k) in vals:
            return False
        if op == "Exists" and k not in labels:
            return False
        if op == "DoesNotExist" and k in labels:
            return False
    return True


def is_empty_selector(sel):
    return not (sel or {}).get("matchLabels") and not (sel or {}).get("matchExpressions")


class Policy:
    def __init__(self):
        self.errors = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.errors.append(what)
        return ok


def container_checks(p, where, c, pod_sc, is_deployment, serves=True):
    name = "%s container %s" % (where, c.get("name"))
    sc = c.get("securityContext") or {}
    if serves:  # a Job's container runs to completion and serves nothing: no probes
        p.check(c.get("livenessProbe"), "%s: no livenessProbe" % name)
        p.check(c.get("readinessProbe"), "%s: no readinessProbe" % name)
    if is_deployment:
        p.check(c.get("startupProbe"), "%s: no startupProbe" % name)
        live = ((c.get("livenessProbe") or {}).get("httpGet") or {}).get("path")
        ready = ((c.get("readinessProbe") or {}).get("httpGet") or {}).get("path")
        start = ((c.get("startupProbe") or {}).get("httpGet") or {}).get("path")
        p.check(live == "/health/live", "%s: livenessProbe is not GET /health/live (%s)" % (name, live))
        p.check(start == "/health/live", "%s: startupProbe is not GET /health/live (%s)" % (name, start))
        p.check(ready == "/health/ready", "%s: readinessProbe is not GET /health/ready (%s)" % (name, ready))
    res = c.get("resources") or {}
    for kind in ("requests", "limits"):
        for r in ("cpu", "memory"):
            p.check((res.get(kind) or {}).get(r), "%s: no resources.%s.%s" % (name, kind, r))
    run_as_non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
    p.check(run_as_non_root is True, "%s: runAsNonRoot is not true" % name)
    uid = sc.get("runAsUser", pod_sc.get("runAsUser"))
    p.check(uid is None or uid != 0, "%s: runAsUser is 0" % name)
    p.check(sc.get("allowPrivilegeEscalation") is False, "%s: allowPrivilegeEscalation is not false" % name)
    p.check(sc.get("privileged") in (None, False), "%s: privileged" % name)
    p.check("ALL" in ((sc.get("capabilities") or {}).get("drop") or []), "%s: capabilities.drop lacks ALL" % name)
    p.check(not (sc.get("capabilities") or {}).get("add"), "%s: adds capabilities" % name)
    p.check(sc.get("readOnlyRootFilesystem") is True, "%s: readOnlyRootFilesystem is not true" % name)


def cmd_policy(args):
    docs = [d for _, _, d in load(args.files)]
    p = Policy()
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d.get("kind"), []).append(d)
    netpols = by_kind.get("NetworkPolicy", [])
    workloads = [d for d in docs if d.get("kind") in WORKLOAD_KINDS]
    deployments = [d for d in workloads if d["kind"] == "Deployment"]
    p.check(workloads, "no workloads found in %s" % " ".join(args.files))

    default_deny = [n for n in netpols if is_empty_selector(n["spec"].get("podSelector"))
                    and set(n["spec"].get("policyTypes") or []) >= {"Ingress", "Egress"}
                    and not n["spec"].get("ingress") and not n["spec"].get("egress")]
    p.check(default_deny, "no default-deny NetworkPolicy (empty podSelector, Ingress+Egress, no rules)")

    service_accounts = {(d["metadata"].get("namespace"), d["metadata"]["name"]): d
                        for d in by_kind.get("ServiceAccount", [])}
    for w in workloads:
        where = "%s %s" % (w["kind"], w["metadata"]["name"])
        ns = w["metadata"].get("namespace")
        pod = w["spec"]["template"]
        spec = pod["spec"]
        labels = (pod.get("metadata") or {}).get("labels") or {}
        pod_sc = spec.get("securityContext") or {}
        p.check(pod_sc.get("runAsNonRoot") is True, "%s: pod securityContext.runAsNonRoot is not true" % where)
        p.check((pod_sc.get("seccompProfile") or {}).get("type") in ("RuntimeDefault", "Localhost"),
                "%s: pod seccompProfile is not RuntimeDefault" % where)
        p.check(not spec.get("hostNetwork") and not spec.get("hostPID") and not spec.get("hostIPC"),
                "%s: uses host namespaces" % where)
        for c in spec.get("initContainers") or []:
            container_checks(p, where, c, pod_sc, False)
        for c in spec.get("containers") or []:
            container_checks(p, where, c, pod_sc, w["kind"] == "Deployment", w["kind"] != "Job")
        sa_name = spec.get("serviceAccountName")
        p.check(sa_name and sa_name != "default", "%s: runs as the default ServiceAccount" % where)
        sa = service_accounts.get((ns, sa_name))
        p.check(sa is not None, "%s: ServiceAccount %s is not defined alongside" % (where, sa_name))
        token = spec.get("automountServiceAccountToken",
                         (sa or {}).get("automountServiceAccountToken", True))
        p.check(token is False, "%s: service account token is mounted" % where)
        selected = [n["metadata"]["name"] for n in netpols
                    if n["metadata"].get("namespace") == ns
                    and not is_empty_selector(n["spec"].get("podSelector"))
                    and selector_matches(n["spec"]["podSelector"], labels)
                    and {"Ingress", "Egress"} <= set(n["spec"].get("policyTypes") or [])]
        p.check(selected, "%s: no NetworkPolicy of its own selects its pods (Ingress+Egress)" % where)
        if w["kind"] != "Job":  # a Job's selector is generated by the API server
            p.check(selector_matches(w["spec"]["selector"], labels), "%s: selector does not match its pod labels" % where)
        if w["kind"] == "StatefulSet":
            p.check(w["spec"].get("volumeClaimTemplates"), "%s: no volumeClaimTemplates (no persistent volume)" % where)
        if args.verbose:
            print("OK    %s: probes, resources, securityContext, ServiceAccount, NetworkPolicy %s"
                  % (where, ",".join(selected)))

    # references between objects of the same render
    def targets(ns):
        return [w for w in workloads if w["metadata"].get("namespace") == ns]

    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        ref = hpa["spec"]["scaleTargetRef"]
        p.check(any(w["kind"] == ref["kind"] and w["metadata"]["name"] == ref["name"]
                    for w in targets(hpa["metadata"].get("namespace"))),
                "HPA %s: target %s/%s not found" % (hpa["metadata"]["name"], ref["kind"], ref["name"]))
        for w in deployments:
            if w["metadata"]["name"] == ref["name"]:
                p.check("replicas" not in w["spec"],
                        "Deployment %s: sets replicas although an HPA scales it" % ref["name"])
    for pdb in by_kind.get("PodDisruptionBudget", []):
        p.check(any(selector_matches(pdb["spec"]["selector"], w["spec"]["template"]["metadata"]["labels"])
                    for w in targets(pdb["metadata"].get("namespace"))),
                "PDB %s: selects no workload" % pdb["metadata"]["name"])
    for svc in by_kind.get("Service", []):
        sel = svc["spec"].get("selector")
        if sel:
            p.check(any(selector_matches({"matchLabels": sel}, w["spec"]["template"]["metadata"]["labels"])
                        for w in targets(svc["metadata"].get("namespace"))),
                    "Service %s: selects no workload" % svc["metadata"]["name"])
    config_maps = {d["metadata"]["name"] for d in by_kind.get("ConfigMap", [])}
    for w in workloads:
        spec = w["spec"]["template"]["spec"]
        refs = [e["configMapRef"]["name"] for c in spec["containers"] for e in c.get("envFrom") or [] if "configMapRef" in e]
        refs += [v["configMap"]["name"] for v in spec.get("volumes") or [] if "configMap" in v]
        for r in refs:
            p.check(r in config_maps, "%s %s: ConfigMap %s not defined" % (w["kind"], w["metadata"]["name"], r))

    for e in p.errors:
        print("ERROR policy: %s" % e)
    print("policy: %d workloads (%d Deployments), %d NetworkPolicies: %d checks passed, %d failed  [%s]"
          % (len(workloads), len(deployments), len(netpols), p.passed, len(p.errors), " ".join(args.files)))
    return 1 if p.errors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("schema")
    s.add_argument("--kube-version", required=True)
    s.add_argument("-v", "--verbose", action="store_true")
    s.add_argument("files", nargs="+")
    s.set_defaults(fn=cmd_schema)
    q = sub.add_parser("policy")
    q.add_argument("-v", "--verbose", action="store_true")
    q.add_argument("files", nargs="+")
    q.set_defaults(fn=cmd_policy)
    args = ap.parse_args()
    sys.exit(args.fn(args))


if __name__ == "__main__":
    main()
