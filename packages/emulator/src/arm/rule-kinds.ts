import { badRequest } from "./arm-error.js";
import type { RuleKind } from "./models.js";
import { isObject, parseIp, requireString } from "./validation.js";

/**
 * What differs between the three child resources of an account (firewall rules, virtual network rules,
 * trusted identity providers): their type string, name rule, properties and how an update merges.
 * Everything else (routes, status codes, embedding in the account) is shared in child-rules.ts.
 */
export interface RuleKindSpec {
  kind: RuleKind;
  /** `Microsoft.DataLakeStore/accounts/firewallRules` */
  type: string;
  checkName(name: string): void;
  /** Validates the full properties of a create or replace (`target` prefixes error targets). */
  create(properties: unknown, target: string): Record<string, string>;
  /** Applies an update's properties over the stored ones, then validates the result. */
  update(existing: Record<string, string>, properties: unknown, target: string): Record<string, string>;
  /** The wire `properties`; `fresh` is the answer to the PUT that created it. */
  render(properties: Record<string, string>, fresh: boolean): Record<string, unknown>;
}

function propertiesObject(value: unknown, target: string, required: boolean): Record<string, unknown> {
  if (value === undefined || value === null) {
    if (required) throw badRequest("InvalidRequestContent", `'${target}' is required.`, target);
    return {};
  }
  if (!isObject(value)) throw badRequest("InvalidRequestContent", `'${target}' must be an object.`, target);
  return value;
}

/** ARM's generic child-name rule: 1-260 characters, none of < > % & : \ ? / or control characters. */
function genericName(what: string) {
  return (name: string) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what ARM refuses
    if (name.length < 1 || name.length > 260 || /[<>%&:\\?/\u0000-\u001f]/.test(name) || /[. ]$/.test(name)) {
      throw badRequest(
        "InvalidResourceName",
        `The ${what} name '${name}' is invalid: use 1-260 characters without < > % & : \\ ? / or control characters, not ending with '.' or a space.`,
        "name",
      );
    }
  };
}

function checkFirewallRange(props: Record<string, unknown>, target: string): Record<string, string> {
  const start = parseIp(props.startIpAddress, `${target}.startIpAddress`);
  const end = parseIp(props.endIpAddress, `${target}.endIpAddress`);
  if (start.family !== end.family) {
    throw badRequest(
      "InvalidIpAddressRange",
      `The start address '${start.text}' and end address '${end.text}' must be of the same IP family.`,
      target,
    );
  }
  if (start.value > end.value) {
    throw badRequest(
      "InvalidIpAddressRange",
      `The start address '${start.text}' is greater than the end address '${end.text}'.`,
      target,
    );
  }
  return { startIpAddress: start.text, endIpAddress: end.text };
}

const firewallRules: RuleKindSpec = {
  kind: "firewallRules",
  type: "Microsoft.DataLakeStore/accounts/firewallRules",
  checkName(name) {
    // The pattern Terraform's azurerm provider enforces for Data Lake firewall rules.
    if (!/^[-_a-zA-Z0-9]{3,50}$/.test(name)) {
      throw badRequest(
        "InvalidResourceName",
        `The firewall rule name '${name}' is invalid: use 3-50 letters, digits, '-' or '_'.`,
        "name",
      );
    }
  },
  create(properties, target) {
    return checkFirewallRange(propertiesObject(properties, target, true), target);
  },
  update(existing, properties, target) {
    const given = propertiesObject(properties, target, false);
    return checkFirewallRange(
      { ...existing, ...definedOnly(given, ["startIpAddress", "endIpAddress"]) },
      target,
    );
  },
  render: (p) => ({ startIpAddress: p.startIpAddress, endIpAddress: p.endIpAddress }),
};

const SUBNET_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

function checkSubnet(props: Record<string, unknown>, target: string): Record<string, string> {
  const subnetId = requireString(props.subnetId, `${target}.subnetId`);
  if (!SUBNET_ID.test(subnetId)) {
    throw badRequest(
      "InvalidSubnetId",
      `'${subnetId}' is not a subnet resource id (/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}).`,
      `${target}.subnetId`,
    );
  }
  return { subnetId };
}

const virtualNetworkRules: RuleKindSpec = {
  kind: "virtualNetworkRules",
  type: "Microsoft.DataLakeStore/accounts/virtualNetworkRules",
  checkName: genericName("virtual network rule"),
  create: (properties, target) => checkSubnet(propertiesObject(properties, target, true), target),
  update: (existing, properties, target) =>
    checkSubnet(
      { ...existing, ...definedOnly(propertiesObject(properties, target, false), ["subnetId"]) },
      target,
    ),
  // The real RP answers the PUT before the rule is provisioned; later reads show it Active.
  render: (p, fresh) => (fresh ? { subnetId: p.subnetId } : { subnetId: p.subnetId, state: "Active" }),
};

function checkIdProvider(props: Record<string, unknown>, target: string): Record<string, string> {
  const idProvider = requireString(props.idProvider, `${target}.idProvider`);
  let url: URL | undefined;
  try {
    url = new URL(idProvider);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw badRequest(
      "InvalidIdProvider",
      `'${idProvider}' is not an absolute URL such as https://sts.windows.net/{tenantId}.`,
      `${target}.idProvider`,
    );
  }
  return { idProvider };
}

const trustedIdProviders: RuleKindSpec = {
  kind: "trustedIdProviders",
  type: "Microsoft.DataLakeStore/accounts/trustedIdProviders",
  checkName: genericName("trusted identity provider"),
  create: (properties, target) => checkIdProvider(propertiesObject(properties, target, true), target),
  update: (existing, properties, target) =>
    checkIdProvider(
      { ...existing, ...definedOnly(propertiesObject(properties, target, false), ["idProvider"]) },
      target,
    ),
  render: (p) => ({ idProvider: p.idProvider }),
};

function definedOnly(props: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
  return out;
}

export const RULE_KINDS: readonly RuleKindSpec[] = [firewallRules, virtualNetworkRules, trustedIdProviders];

/** The rule kind named by a path segment, case-insensitively. */
export function ruleKindOf(segment: string): RuleKindSpec | undefined {
  return RULE_KINDS.find((k) => k.kind.toLowerCase() === segment.toLowerCase());
}
