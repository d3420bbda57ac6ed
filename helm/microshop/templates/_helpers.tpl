{{/* ---------------------------------------------------------------- names */}}
{{- define "microshop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "microshop.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* <fullname>-<component>; arg: dict "ctx" . "c" "user-service" */}}
{{- define "microshop.componentName" -}}
{{- printf "%s-%s" (include "microshop.fullname" .ctx) .c | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* ---------------------------------------------------------------- labels */}}
{{- define "microshop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "microshop.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .c }}
{{- end }}

{{- define "microshop.labels" -}}
{{ include "microshop.selectorLabels" . }}
app.kubernetes.io/part-of: microshop
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
{{- if not .ctx.Values.rawManifests }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
{{- end }}
{{- end }}

{{/* ---------------------------------------------------------------- the four services
Fixed facts from docs/contract.md; tunables live in .Values.services.<key>. */}}
{{- define "microshop.appDefs" -}}
userService:
  name: user-service
  port: 4000
  store: mongodb
  database: microshop_users
  dbUser: user_service
  public: true
productService:
  name: product-service
  port: 8000
  store: mongodb
  database: microshop_products
  dbUser: product_service
  public: true
orderService:
  name: order-service
  port: 3000
  store: mysql
  database: microshop_orders
  dbUser: order_service
  public: true
notificationService:
  name: notification-service
  port: 5000
  store: mongodb
  database: microshop_notifications
  dbUser: notification_service
  public: false
{{- end }}

{{- define "microshop.image" -}}
{{- $ctx := .ctx }}
{{- $over := .svc.image | default dict }}
{{- $repo := $over.repository | default (printf "%s/%s" $ctx.Values.image.namespace .name) }}
{{- if and $ctx.Values.image.registry (not $over.repository) }}
{{- $repo = printf "%s/%s" $ctx.Values.image.registry $repo }}
{{- end }}
{{- printf "%s:%s" $repo ($over.tag | default $ctx.Values.image.tag | default $ctx.Chart.AppVersion) }}
{{- end }}

{{/* ---------------------------------------------------------------- secrets */}}
{{- define "microshop.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "microshop.fullname" .)) }}
{{- end }}

{{- define "microshop.jwtSecretName" -}}
{{- .Values.jwt.existingSecret | default (printf "%s-jwt" (include "microshop.fullname" .)) }}
{{- end }}

{{/* "true" when the services verify tokens with a public key from the JWT Secret, "" for JWKS */}}
{{- define "microshop.jwtUsePublicKey" -}}
{{- $mode := .Values.jwt.verification | default "auto" }}
{{- if eq $mode "publicKey" }}true
{{- else if eq $mode "jwks" }}
{{- else if eq $mode "auto" }}
{{- if or .Values.jwt.existingSecret .Values.jwt.publicKey }}true{{ end }}
{{- else }}
{{- fail (printf "jwt.verification must be auto, publicKey or jwks, not %q" $mode) }}
{{- end }}
{{- end }}

{{/* A value for a chart-managed Secret key: the explicit value, else the one already in the
cluster (so upgrades keep passwords and keys), else a generated one.
arg: dict "ctx" . "existing" <lookup result> "key" "k" "value" "" "generate" "password|ec-p256" */}}
{{- define "microshop.secretValue" -}}
{{- if .value }}
{{- .value }}
{{- else if and .existing .existing.data (hasKey .existing.data .key) }}
{{- index .existing.data .key | b64dec }}
{{- else if and .generate (eq .generate "ec-p256") }}
{{- include "microshop.genEcP256Pkcs8" . }}
{{- else }}
{{- randAlphaNum 32 }}
{{- end }}
{{- end }}

{{/* ---------------------------------------------------------------- endpoints */}}
{{- define "microshop.kafkaBrokers" -}}
{{- if .Values.kafka.enabled }}
{{- printf "%s:9092" (include "microshop.componentName" (dict "ctx" . "c" "kafka")) }}
{{- else }}
{{- required "kafka.external.brokers is required when kafka.enabled=false" .Values.kafka.external.brokers }}
{{- end }}
{{- end }}

{{- define "microshop.jwksUrl" -}}
{{- printf "http://%s:4000/.well-known/jwks.json" (include "microshop.componentName" (dict "ctx" . "c" "user-service")) }}
{{- end }}

{{/* NetworkPolicy peers for an in-chart component; arg: dict "ctx" . "c" "kafka" */}}
{{- define "microshop.peer" -}}
- podSelector:
    matchLabels:
      {{- include "microshop.selectorLabels" . | nindent 6 }}
{{- end }}

{{/* egress rule to external peers on TCP ports; arg: dict "to" list "ports" list. No peers = any address. */}}
{{- define "microshop.externalEgress" -}}
{{- $ports := list }}
{{- range .ports }}{{ $ports = append $ports (dict "port" . "protocol" "TCP") }}{{ end }}
{{- $rule := dict "ports" $ports }}
{{- with .to }}{{ $_ := set $rule "to" . }}{{ end }}
{{- toYaml (list $rule) }}
{{- end }}

{{- define "microshop.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "microshop.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}

{{/* securityContext for the store images, which run as their own uid; arg: dict "ctx" . "uid" 999 */}}
{{- define "microshop.storePodSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "microshop.topologySpread" -}}
{{- if .ctx.Values.topologySpread.enabled }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "microshop.selectorLabels" . | nindent 8 }}
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "microshop.selectorLabels" . | nindent 8 }}
{{- end }}
{{- end }}

{{- define "microshop.kafkaClusterId" -}}
{{- if .Values.kafka.clusterId }}
{{- .Values.kafka.clusterId }}
{{- else }}
{{- /* 16 bytes -> 22 base64url characters, stable for a given release */}}
{{- printf "%s/%s" .Release.Namespace .Release.Name | sha256sum | trunc 16 | b64enc | trimSuffix "==" | replace "+" "-" | replace "/" "_" }}
{{- end }}
{{- end }}

{{/* A new P-256 private key (JWT ES256) as PKCS#8 PEM, the form jose's importPKCS8 reads.
Sprig's genPrivateKey "ecdsa" gives SEC1 ("EC PRIVATE KEY", 121 DER bytes for P-256); PKCS#8
wraps it: SEQUENCE { version 0, AlgorithmIdentifier { id-ecPublicKey, prime256v1 }, OCTET STRING }. */}}
{{- define "microshop.genEcP256Pkcs8" -}}
{{- $sec1 := genPrivateKey "ecdsa" | replace "-----BEGIN EC PRIVATE KEY-----" "" | replace "-----END EC PRIVATE KEY-----" "" | nospace | b64dec }}
{{- if ne (len $sec1) 121 }}{{ fail (printf "unexpected SEC1 P-256 key length %d" (len $sec1)) }}{{ end }}
{{- $der := printf "%s%s" "\x30\x81\x93\x02\x01\x00\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x04\x79" $sec1 }}
{{- printf "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n" (regexReplaceAll "(.{64})" ($der | b64enc) "${1}\n" | trimSuffix "\n") }}
{{- end }}

{{/* ---------------------------------------------------------------- Kafka access */}}
{{/* The SCRAM principals: admin (broker, kafka-topics Job) and the four services. */}}
{{- define "microshop.kafkaPrincipals" -}}
admin user-service product-service order-service notification-service
{{- end }}

{{/* The SASL mechanism the clients use; the in-chart Kafka speaks SCRAM-SHA-512 only. */}}
{{- define "microshop.kafkaSaslMechanism" -}}
{{- $m := .Values.kafka.sasl.mechanism }}
{{- if and .Values.kafka.enabled (ne $m "scram-sha-512") }}
{{- fail (printf "kafka.sasl.mechanism is %q but the in-chart Kafka (kafka.enabled) supports scram-sha-512 only" $m) }}
{{- end }}
{{- $m }}
{{- end }}

{{/* "true" when the clients talk TLS to Kafka, "" otherwise */}}
{{- define "microshop.kafkaTls" -}}
{{- if .Values.kafka.enabled }}{{ if .Values.kafka.tls.enabled }}true{{ end }}
{{- else if .Values.kafka.external.tls.enabled }}true{{ end }}
{{- end }}

{{/* The Secret with the in-chart Kafka's certificate (tls.crt, tls.key, ca.crt). */}}
{{- define "microshop.kafkaTlsSecretName" -}}
{{- if .Values.kafka.tls.existingSecret }}
{{- .Values.kafka.tls.existingSecret }}
{{- else if .Values.kafka.tls.certManager.issuer }}
{{- printf "%s-tls" (include "microshop.componentName" (dict "ctx" . "c" "kafka")) }}
{{- else }}
{{- fail "kafka.tls.enabled needs kafka.tls.existingSecret (tls.crt, tls.key, ca.crt) or kafka.tls.certManager.issuer" }}
{{- end }}
{{- end }}

{{/* Volumes a Kafka client pod needs: its password file and the CA; arg: dict "ctx" . "principal" "user-service" */}}
{{- define "microshop.kafkaClientVolumes" -}}
{{- $ctx := .ctx }}
{{- if ne (include "microshop.kafkaSaslMechanism" $ctx) "none" }}
- name: kafka-password
  secret:
    secretName: {{ include "microshop.secretName" $ctx }}
    defaultMode: 0440
    items:
      - key: kafka-{{ .principal }}-password
        path: password
{{- end }}
{{- if include "microshop.kafkaTls" $ctx }}
{{- if $ctx.Values.kafka.enabled }}
- name: kafka-ca
  secret:
    secretName: {{ include "microshop.kafkaTlsSecretName" $ctx }}
    defaultMode: 0444
    items:
      - key: ca.crt
        path: ca.crt
{{- else if $ctx.Values.kafka.external.tls.caSecret }}
- name: kafka-ca
  secret:
    secretName: {{ $ctx.Values.kafka.external.tls.caSecret }}
    defaultMode: 0444
    items:
      - key: {{ $ctx.Values.kafka.external.tls.caKey }}
        path: ca.crt
{{- else if $ctx.Values.kafka.external.tls.caConfigMap }}
- name: kafka-ca
  configMap:
    name: {{ $ctx.Values.kafka.external.tls.caConfigMap }}
    items:
      - key: {{ $ctx.Values.kafka.external.tls.caKey }}
        path: ca.crt
{{- end }}
{{- end }}
{{- end }}

{{/* The matching volumeMounts and env (KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE); arg as above, "part" "mounts"|"env" */}}
{{- define "microshop.kafkaClientMounts" -}}
{{- $vols := include "microshop.kafkaClientVolumes" . | fromYamlArray }}
{{- range $vols }}
{{- if eq .name "kafka-password" }}
- name: kafka-password
  mountPath: /run/secrets/kafka
  readOnly: true
{{- else }}
- name: kafka-ca
  mountPath: /run/kafka-ca
  readOnly: true
{{- end }}
{{- end }}
{{- end }}

{{- define "microshop.kafkaClientEnv" -}}
{{- $vols := include "microshop.kafkaClientVolumes" . | fromYamlArray }}
{{- range $vols }}
{{- if eq .name "kafka-password" }}
- name: KAFKA_SASL_PASSWORD_FILE
  value: /run/secrets/kafka/password
{{- else }}
- name: KAFKA_SSL_CA_FILE
  value: /run/kafka-ca/ca.crt
{{- end }}
{{- end }}
{{- end }}
