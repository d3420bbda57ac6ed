'use strict';
// One readiness probe for FerretDB: a `ping` command through the official MongoDB driver.
// Usage: node infra/wait/mongo-ready.js [mongodb-url]
const path = require('path');

// The driver arrives with mongoose; fall back to mongoose's copy if npm did not hoist it.
function loadMongo() {
  try {
    return require('mongodb');
  } catch {
    return require(require.resolve('mongodb', { paths: [path.dirname(require.resolve('mongoose'))] }));
  }
}

const url = process.argv[2] || 'mongodb://127.0.0.1:27017/';
setTimeout(() => process.exit(1), 5000).unref();

const client = new (loadMongo().MongoClient)(url, {
  directConnection: true,
  serverSelectionTimeoutMS: 1500,
  connectTimeoutMS: 1000,
});

client
  .connect()
  .then(() => client.db('admin').command({ ping: 1 }))
  .then(async () => {
    await client.close();
    process.exit(0);
  })
  .catch((err) => {
    console.error(`mongo not ready: ${err.message}`);
    process.exit(1);
  });
