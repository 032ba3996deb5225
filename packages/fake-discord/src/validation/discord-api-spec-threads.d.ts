// The thread schemas of discord-api-spec that the fake uses (merged with discord-api-spec-zod.d.ts).
declare module 'discord-api-spec/zod' {
  import type { ZodMiniType } from 'zod/mini';

  export const CreateTextThreadWithMessageRequestSchema: ZodMiniType;
}
