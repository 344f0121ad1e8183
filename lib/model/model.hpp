// renkei::model — the records every layer of the hub speaks: the community, accounts,
// submissions and their analysis, the audit log (and, as they come, campaigns and shares).
//
// Contract: plain value types and the stable ids of their enumerations. Nothing here stores,
// reads or decides anything: storage (lib/store), authorisation (lib/hub/authz), sharing and the
// report depend on this module, never the other way round. It depends only on lib/registry for
// an organisation's registry data.
#pragma once

#include "model/accounts.hpp"
#include "model/audit.hpp"
#include "model/campaign.hpp"
#include "model/community.hpp"
#include "model/submission.hpp"
#include "model/triage.hpp"
