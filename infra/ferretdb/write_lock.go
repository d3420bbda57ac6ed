package handler

import "sync"

// serializeWrites makes FerretDB's write commands run one at a time. FerretDB 1.x executes a
// conditional update as a query followed by a write of the whole document, with nothing between
// them to stop another connection; two concurrent updates of one document can then lose one.
// MongoDB applies each single-document update atomically, and MicroShop relies on that (conditional
// $inc on stock, outbox push and pop, optimistic versions). Holding this lock around each write
// command restores those semantics on the local store. MicroShop's provisioning adds this file
// and the Lock/Unlock lines at the top of MsgInsert, MsgUpdate, MsgFindAndModify and MsgDelete.
var serializeWrites sync.Mutex
