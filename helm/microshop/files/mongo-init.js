// Runs once, on the first start of an empty data volume (docker-entrypoint-initdb.d), as root.
// One user per service, each with readWrite on its own database only. Passwords come from the
// container environment (the chart's Secret).
const accounts = [
  ['microshop_users', 'user_service', 'USER_SERVICE_DB_PASSWORD'],
  ['microshop_products', 'product_service', 'PRODUCT_SERVICE_DB_PASSWORD'],
  ['microshop_notifications', 'notification_service', 'NOTIFICATION_SERVICE_DB_PASSWORD'],
];
for (const [dbName, user, passwordVar] of accounts) {
  const pwd = process.env[passwordVar];
  if (!pwd) throw new Error(`${passwordVar} is not set`);
  db.getSiblingDB(dbName).createUser({ user, pwd, roles: [{ role: 'readWrite', db: dbName }] });
  print(`mongo-init: created ${user} on ${dbName}`);
}
