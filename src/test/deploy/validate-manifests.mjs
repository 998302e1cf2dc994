// Checks Kubernetes manifests (the output of helm template) against the Kubernetes API schemas of the
// kubernetes-models package, then against the chart's own rules: hardened pods, probes on the management port,
// resources, and no Service or Ingress that reaches the management port. Prints one line per problem; exit 1 if any.
//   node validate-manifests.mjs TOOLS_DIR FILE...   (TOOLS_DIR: where install-tools.sh put node_modules)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const [toolsDir, ...files] = process.argv.slice(2);
const require = createRequire(`${toolsDir}/`);
const YAML = require('yaml');
const problems = [];
let checked = 0;

function model(apiVersion, kind) {
  const path = apiVersion.includes('/') ? apiVersion : `v1`;
  try {
    return require(`kubernetes-models/${path}/${kind}`)[kind];
  } catch (e) {
    return null;
  }
}

function checkPod(where, spec, management) {
  const pod = spec.securityContext ?? {};
  if (pod.runAsNonRoot !== true) problems.push(`${where}: pod securityContext.runAsNonRoot is not true`);
  if (pod.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: pod seccompProfile is not RuntimeDefault`);
  if (spec.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
  for (const c of spec.containers ?? []) {
    const at = `${where} container ${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem not read-only`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: does not drop ALL capabilities`);
    if (!c.resources?.limits?.memory || !c.resources?.requests?.cpu) problems.push(`${at}: no memory limit or cpu request`);
    if (!c.livenessProbe || !c.readinessProbe) problems.push(`${at}: no liveness or readiness probe`);
    if (management) {
      for (const [probe, path] of [['livenessProbe', '/q/health/live'], ['readinessProbe', '/q/health/ready']]) {
        const get = c[probe]?.httpGet;
        if (get?.port !== 'management' || get?.path !== path) problems.push(`${at}: ${probe} is not ${path} on management`);
      }
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
      if (!env.GATEWATCH_ROLES) problems.push(`${at}: no GATEWATCH_ROLES`);
      if (env.QUARKUS_DATASOURCE_PASSWORD && !env.QUARKUS_DATASOURCE_PASSWORD.valueFrom?.secretKeyRef) {
        problems.push(`${at}: database password not from a Secret`);
      }
    }
  }
}

for (const file of files) {
  for (const doc of YAML.parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length) {
      problems.push(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const o = doc.toJS();
    if (!o) continue;
    const where = `${file}: ${o.kind}/${o.metadata?.name}`;
    const Model = model(o.apiVersion ?? '', o.kind ?? '');
    if (!Model) {
      problems.push(`${where}: no Kubernetes schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push(`${where}: ${e.message}`);
    }
    checked++;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      checkPod(where, o.spec.template.spec, o.kind === 'Deployment');
    }
    if (o.kind === 'Service' && (o.spec.ports ?? []).some((p) => p.targetPort === 'management' || p.port === 9000)) {
      problems.push(`${where}: exposes the management port`);
    }
    if (o.kind === 'Ingress' && JSON.stringify(o.spec).includes('management')) {
      problems.push(`${where}: routes to the management port`);
    }
  }
}
for (const p of problems) console.log(p);
console.log(`validate-manifests: ${checked} objects, ${problems.length} problems`);
process.exit(problems.length || checked === 0 ? 1 : 0);
