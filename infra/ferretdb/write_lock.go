package handler

import "sync"

// serializeWrites makes FerretDB's write commands run one at a time, so that each single-document
// update is atomic as on MongoDB (why: docs/decisions/0003-local-stores.md in the MicroShop
// repository). MicroShop's provisioning (infra/ferretdb.sh) adds this file and the Lock/Unlock
// lines at the top of MsgInsert, MsgUpdate, MsgFindAndModify and MsgDelete.
var serializeWrites sync.Mutex
