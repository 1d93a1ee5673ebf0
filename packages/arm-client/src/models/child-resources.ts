/** A firewall rule: an IPv4 or IPv6 range allowed through the account firewall. */
export interface FirewallRule {
  id: string;
  name: string;
  type: "Microsoft.DataLakeStore/accounts/firewallRules" | (string & {});
  properties: { startIpAddress: string; endIpAddress: string };
}
export interface CreateOrUpdateFirewallRuleParameters {
  /** Both addresses of the same family (IPv4 or IPv6). */
  properties: { startIpAddress: string; endIpAddress: string };
}
export interface UpdateFirewallRuleParameters {
  properties?: { startIpAddress?: string; endIpAddress?: string };
}

/** A virtual network rule: a subnet allowed through the account firewall. */
export interface VirtualNetworkRule {
  id: string;
  name: string;
  type: "Microsoft.DataLakeStore/accounts/virtualNetworkRules" | (string & {});
  properties: { subnetId: string; state?: string };
}
export interface CreateOrUpdateVirtualNetworkRuleParameters {
  /** Resource id of the subnet. */
  properties: { subnetId: string };
}
export interface UpdateVirtualNetworkRuleParameters {
  properties?: { subnetId?: string };
}

/** A trusted identity provider: an issuer (`https://sts.windows.net/{tenant}`) whose tokens the account accepts. */
export interface TrustedIdProvider {
  id: string;
  name: string;
  type: "Microsoft.DataLakeStore/accounts/trustedIdProviders" | (string & {});
  properties: { idProvider: string };
}
export interface CreateOrUpdateTrustedIdProviderParameters {
  properties: { idProvider: string };
}
export interface UpdateTrustedIdProviderParameters {
  properties?: { idProvider?: string };
}

/** A rule as embedded in a create/update request of the account: name plus properties. */
export interface NamedRule<P> {
  name: string;
  properties: P;
}
