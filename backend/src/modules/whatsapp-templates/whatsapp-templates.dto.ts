import { IsOptional, IsUUID } from 'class-validator';

export class WhatsappTemplateSyncDto {
  /** Sync this WhatsApp channel only; every WhatsApp channel of the organization when absent. */
  @IsOptional() @IsUUID() channelId?: string;
}
