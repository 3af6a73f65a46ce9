import { ApiKey } from '../modules/api-keys/api-key.entity';
import { ChannelConnection } from '../modules/channels/channel-connection.entity';
import { EmailAccount } from '../modules/email-accounts/email-account.entity';
import { Lead } from '../modules/leads/lead.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { Suppression } from '../modules/suppressions/suppression.entity';
import { Template } from '../modules/templates/template.entity';

export const ENTITIES = [Organization, ApiKey, Lead, Template, Suppression, ChannelConnection, EmailAccount];
