// smtpx_domain_check(): converts its arguments, runs the core's check once,
// and turns the report into an array (call.h).
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <vector>

#include "../../php_smtpx.h"
#include "../core/deliverability/domain_check.h"
#include "call.h"
#include "convert.h"
#include "results.h"

using namespace smtpx::php;
using smtpx::deliverability::DomainReport;

namespace {

// out[key]: a list of arrays of `fields` entries each, one per item, filled by fill(entry, item).
template <typename Items, typename Fill>
void add_list(zval* out, const char* key, const Items& items, uint32_t fields, Fill fill) {
  zval list;
  array_init_size(&list, static_cast<uint32_t>(items.size()));
  for (const auto& item : items) {
    zval entry;
    array_init_size(&entry, fields);
    fill(&entry, item);
    add_next_index_zval(&list, &entry);
  }
  add_assoc_zval(out, key, &list);
}

void report_to_array(const DomainReport& report, zval* out) {
  array_init_size(out, 10);
  add_string(out, "domain", report.domain);
  add_string(out, "spf", report.spf);
  add_assoc_long(out, "spf_lookups", report.spf_lookups);
  add_string(out, "provider_include", report.provider_include);
  add_string(out, "dmarc", report.dmarc);
  zval dkim;
  array_init(&dkim);
  for (const std::string& record : report.dkim) add_next_index_stringl(&dkim, record.data(), record.size());
  add_assoc_zval(out, "dkim", &dkim);
  add_list(out, "mx", report.mx, 2, [](zval* entry, const smtpx::dns::MxRecord& record) {
    add_assoc_long(entry, "preference", record.preference);
    add_string(entry, "host", record.host);
  });
  add_string(out, "server", report.server);
  add_list(out, "reverse_dns", report.reverse_dns, 3,
           [](zval* entry, const smtpx::deliverability::ReverseDns& reverse) {
             add_string(entry, "address", reverse.address);
             add_string(entry, "ptr", reverse.ptr);
             add_assoc_bool(entry, "confirmed", reverse.confirmed);
           });
  add_list(out, "findings", report.findings, 4,
           [](zval* entry, const smtpx::deliverability::Finding& finding) {
             add_string(entry, "check", finding.check);
             add_string(entry, "severity", finding.severity);
             add_string(entry, "message", finding.message);
             if (finding.record.empty())
               add_assoc_null(entry, "record");
             else
               add_string(entry, "record", finding.record);
           });
}

// The options array: only "nameserver" for now.
std::string nameserver_of(HashTable* options) {
  if (options == nullptr) return {};
  std::string nameserver;
  zend_string* key;
  zval* value;
  ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, value) {
    if (key == nullptr || !zend_string_equals_literal(key, "nameserver"))
      throw BadArgument("has an unknown key; known: nameserver");
    ZVAL_DEREF(value);
    if (Z_TYPE_P(value) != IS_STRING)
      throw smtpx::InvalidInput("options.nameserver", "must be a string", smtpx::InvalidInput::Kind::type);
    nameserver.assign(Z_STRVAL_P(value), Z_STRLEN_P(value));
  }
  ZEND_HASH_FOREACH_END();
  return nameserver;
}

}  // namespace

ZEND_FUNCTION(smtpx_domain_check) {
  zend_string* domain;
  HashTable* transport_array = nullptr;
  zend_string* transport_dsn = nullptr;
  HashTable* options = nullptr;
  ZEND_PARSE_PARAMETERS_START(1, 3)
  Z_PARAM_STR(domain)
  Z_PARAM_OPTIONAL
  Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(transport_array, transport_dsn)
  Z_PARAM_ARRAY_HT(options)
  ZEND_PARSE_PARAMETERS_END();

  call_core(
      [&] {
        smtpx::dns::Resolver resolver =
            argument(3, [&] { return smtpx::dns::Resolver(nameserver_of(options)); });
        std::string provider_include;
        std::string server;
        std::vector<smtpx::dkim::Signer> signers;
        if (transport_array || transport_dsn) {
          argument(2, [&] {
            const smtpx::delivery::Transport transport = to_transport({transport_array, transport_dsn});
            transport.validate();
            provider_include = smtpx::deliverability::provider_spf_include(transport);
            server = smtpx::deliverability::self_hosted_server(transport);
            for (const smtpx::dkim::DkimSettings& settings : transport.dkim)
              signers.emplace_back(settings, "transport.dkim");
          });
        }
        return smtpx::deliverability::check_domain(std::string(view(domain)), provider_include, signers,
                                                   resolver, server);
      },
      [&](const DomainReport& report) { report_to_array(report, return_value); });
}
