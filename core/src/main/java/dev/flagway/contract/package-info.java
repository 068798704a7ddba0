/**
 * The contract step: {@link dev.flagway.contract.ContractGate} decides whether the legacy column may
 * go, from the flag's history, the verification and the fallbacks recorded in the
 * {@link dev.flagway.contract.FallbackJournal}.
 */
package dev.flagway.contract;
