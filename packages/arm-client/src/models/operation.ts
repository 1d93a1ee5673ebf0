/** One operation the Microsoft.DataLakeStore provider offers (`operations.list`). */
export interface Operation {
  name?: string;
  display?: { provider?: string; resource?: string; operation?: string; description?: string };
  origin?: "user" | "system" | "user,system" | (string & {});
  properties?: Record<string, unknown>;
}
