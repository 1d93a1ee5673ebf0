import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  randomUUID,
  X509Certificate,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EmulatorConfig, TenantConfig } from "../options.js";
import { createRsaSelfSigned, thumbprints } from "../tls/certificates.js";

export interface AppCertificate {
  pem: string;
  publicKey: KeyObject;
  x5t: string;
  x5tS256: string;
  notAfter: Date;
}

export interface Application {
  tenantId: string;
  clientId: string;
  objectId: string;
  displayName: string;
  secrets: Array<{ value: string; expiresAt?: Date }>;
  certificates: AppCertificate[];
}

export interface Tenant {
  id: string;
  domains: string[];
  displayName: string;
}

export interface Subscription {
  id: string;
  tenantId: string;
  displayName: string;
}

/** What the first start generates and every later start reads back (so ids and secrets stay stable). */
interface PersistedIdentity {
  tenant: { id: string; domain: string };
  application: { clientId: string; objectId: string; secret: string };
  managedIdentity: { clientId: string; objectId: string; header: string };
  subscription: { id: string };
}

export interface GeneratedFiles {
  appCertificatePath: string;
  appPrivateKeyPath: string;
}

/**
 * Tenants, applications, subscriptions and the token-signing key.
 * The default tenant, app and subscription are generated on first start and persisted under DIR/identity.
 */
export class IdentityStore {
  readonly #tenants = new Map<string, Tenant>();
  readonly #aliases = new Map<string, string>();
  readonly #apps = new Map<string, Application>(); // key: tenantId/clientId (lower case)
  readonly #subscriptions = new Map<string, Subscription>();
  readonly defaultTenant: Tenant;
  readonly defaultApp: Application;
  readonly defaultSubscription: Subscription;
  readonly defaultAppSecret: string;
  readonly managedIdentity: { clientId: string; objectId: string; tenantId: string; header: string };
  readonly signingKey: KeyObject;
  readonly signingPublicKey: KeyObject;
  readonly signingCertPem: string;
  /** `kid` and `x5t` of issued tokens: the base64url SHA-1 thumbprint of the signing certificate. */
  readonly keyId: string;
  readonly files: GeneratedFiles;

  private constructor(init: {
    persisted: PersistedIdentity;
    appCertPem: string;
    signing: { certPem: string; keyPem: string };
    files: GeneratedFiles;
    config: EmulatorConfig;
  }) {
    const { persisted, config } = init;
    this.files = init.files;
    this.signingCertPem = init.signing.certPem;
    this.signingKey = createPrivateKey(init.signing.keyPem);
    this.signingPublicKey = createPublicKey(this.signingKey);
    this.keyId = thumbprints(init.signing.certPem).x5t;

    this.defaultTenant = this.#addTenant({
      id: persisted.tenant.id,
      domains: [persisted.tenant.domain],
      displayName: "adl-emulator default tenant",
    });
    this.defaultAppSecret = persisted.application.secret;
    this.defaultApp = this.#addApp(this.defaultTenant.id, {
      clientId: persisted.application.clientId,
      objectId: persisted.application.objectId,
      displayName: "adlkit-emulator-app",
      secrets: [persisted.application.secret],
      certificates: [init.appCertPem],
    });
    this.defaultSubscription = this.#addSubscription({
      id: persisted.subscription.id,
      tenantId: this.defaultTenant.id,
      displayName: "adl-emulator subscription",
    });
    this.managedIdentity = { ...persisted.managedIdentity, tenantId: this.defaultTenant.id };
    for (const app of config.applications) this.#addApp(this.defaultTenant.id, app);
    for (const tenant of config.tenants) this.#addConfiguredTenant(tenant);
  }

  /** Loads the identity from DIR/identity, creating it (keys included) on first start. */
  static async open(dataDir: string, config: EmulatorConfig): Promise<IdentityStore> {
    const dir = path.join(dataDir, "identity");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stateFile = path.join(dir, "identity.json");
    const files: GeneratedFiles = {
      appCertificatePath: path.join(dir, "app-certificate.pem"),
      appPrivateKeyPath: path.join(dir, "app-private-key.pem"),
    };
    const signingCertPath = path.join(dir, "token-signing-certificate.pem");
    const signingKeyPath = path.join(dir, "token-signing-key.pem");

    if (!existsSync(signingKeyPath)) {
      const signing = await createRsaSelfSigned("adl-emulator token signing", 5);
      writeSecretFile(signingCertPath, signing.certPem);
      writeSecretFile(signingKeyPath, signing.keyPem);
    }
    if (!existsSync(files.appPrivateKeyPath)) {
      const appCert = await createRsaSelfSigned("adlkit-emulator-app");
      writeSecretFile(files.appCertificatePath, appCert.certPem);
      writeSecretFile(files.appPrivateKeyPath, appCert.keyPem);
    }
    let persisted: PersistedIdentity;
    if (existsSync(stateFile)) {
      persisted = JSON.parse(readFileSync(stateFile, "utf8")) as PersistedIdentity;
    } else {
      persisted = {
        tenant: { id: randomUUID(), domain: "adlemulator.onmicrosoft.com" },
        application: { clientId: randomUUID(), objectId: randomUUID(), secret: generateSecret() },
        managedIdentity: { clientId: randomUUID(), objectId: randomUUID(), header: generateSecret() },
        subscription: { id: randomUUID() },
      };
      writeSecretFile(stateFile, `${JSON.stringify(persisted, null, 2)}\n`);
    }
    return new IdentityStore({
      persisted,
      appCertPem: readFileSync(files.appCertificatePath, "utf8"),
      signing: {
        certPem: readFileSync(signingCertPath, "utf8"),
        keyPem: readFileSync(signingKeyPath, "utf8"),
      },
      files,
      config,
    });
  }

  /** A tenant by id or verified domain, case-insensitively. */
  resolveTenant(alias: string): Tenant | undefined {
    const id = this.#aliases.get(alias.toLowerCase());
    return id ? this.#tenants.get(id) : undefined;
  }

  findApplication(tenantId: string, clientId: string): Application | undefined {
    return this.#apps.get(`${tenantId}/${clientId}`.toLowerCase());
  }

  /** The app or managed identity whose service principal has this object id, in any tenant. */
  findPrincipal(objectId: string): { tenantId: string; clientId: string; displayName: string } | undefined {
    if (objectId === this.managedIdentity.objectId) {
      return {
        tenantId: this.managedIdentity.tenantId,
        clientId: this.managedIdentity.clientId,
        displayName: "managed identity",
      };
    }
    for (const app of this.#apps.values()) if (app.objectId === objectId) return app;
    return undefined;
  }

  tenants(): Tenant[] {
    return [...this.#tenants.values()];
  }

  subscriptions(): Subscription[] {
    return [...this.#subscriptions.values()];
  }

  findSubscription(id: string): Subscription | undefined {
    return this.#subscriptions.get(id.toLowerCase());
  }

  #addTenant(tenant: Tenant): Tenant {
    const existing = this.#tenants.get(tenant.id);
    const merged = existing
      ? { ...existing, domains: [...new Set([...existing.domains, ...tenant.domains])] }
      : tenant;
    this.#tenants.set(tenant.id, merged);
    this.#aliases.set(tenant.id.toLowerCase(), tenant.id);
    for (const domain of merged.domains) this.#aliases.set(domain.toLowerCase(), tenant.id);
    return merged;
  }

  #addApp(tenantId: string, app: NonNullable<TenantConfig["applications"]>[number]): Application {
    const record: Application = {
      tenantId,
      clientId: app.clientId,
      objectId: app.objectId ?? randomUUID(),
      displayName: app.displayName ?? app.clientId,
      secrets: (app.secrets ?? []).map((s) =>
        typeof s === "string"
          ? { value: s }
          : { value: s.value, ...(s.expiresAt ? { expiresAt: new Date(s.expiresAt) } : {}) },
      ),
      certificates: (app.certificates ?? []).map(parseAppCertificate),
    };
    this.#apps.set(`${tenantId}/${app.clientId}`.toLowerCase(), record);
    return record;
  }

  #addSubscription(subscription: Subscription): Subscription {
    this.#subscriptions.set(subscription.id.toLowerCase(), subscription);
    return subscription;
  }

  #addConfiguredTenant(tenant: TenantConfig): void {
    if (!tenant.id || !/^[0-9a-f-]{36}$/i.test(tenant.id)) {
      throw new Error(`adl-emulator: config tenant id must be a GUID, got '${tenant.id}'`);
    }
    const added = this.#addTenant({
      id: tenant.id.toLowerCase(),
      domains: tenant.domains ?? [],
      displayName: tenant.displayName ?? tenant.id,
    });
    for (const app of tenant.applications ?? []) this.#addApp(added.id, app);
    for (const sub of tenant.subscriptions ?? []) {
      this.#addSubscription({
        id: sub.id.toLowerCase(),
        tenantId: added.id,
        displayName: sub.displayName ?? sub.id,
      });
    }
  }
}

function parseAppCertificate(pem: string): AppCertificate {
  const cert = new X509Certificate(pem);
  const prints = thumbprints(pem);
  return {
    pem,
    publicKey: cert.publicKey,
    x5t: prints.x5t,
    x5tS256: prints.x5tS256,
    notAfter: new Date(cert.validTo),
  };
}

/** Entra-like secret: 40 characters including `~`, `.` and `_`, which exercise form encoding. */
function generateSecret(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
  const bytes = randomBytes(40);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

function writeSecretFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}
