/** What a subscription may do in a region (`locations.getCapability`). */
export interface CapabilityInformation {
  subscriptionId?: string;
  state?: "Registered" | "Suspended" | "Deleted" | "Unregistered" | "Warned" | (string & {});
  maxAccountCount?: number;
  accountCount?: number;
  migrationState?: boolean;
}

/** One quota counter of a region (`locations.getUsage`). */
export interface Usage {
  id?: string;
  unit?: "Count" | "Bytes" | "Seconds" | "Percent" | "CountsPerSecond" | "BytesPerSecond" | (string & {});
  currentValue?: number;
  limit?: number;
  name?: { value?: string; localizedValue?: string };
}
