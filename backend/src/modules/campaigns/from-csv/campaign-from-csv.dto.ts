import { OmitType } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppError } from '../../../common/errors/app-error';
import { CreateCampaignDto } from '../campaigns.dto';

/** The draft campaign of `POST /campaigns/from-csv`: everything but the audience, which is the file's rows. */
export class CampaignFromCsvDto extends OmitType(CreateCampaignDto, ['audience'] as const) {}

function problems(errors: ValidationError[], prefix: string): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((message) => ({ field: `${prefix}.${e.property}`, message })),
    ...problems(e.children ?? [], `${prefix}.${e.property}`),
  ]);
}

/** The multipart `campaign` field: JSON, validated like the body of `POST /campaigns` (audience aside). */
export function parseCampaignField(raw: string | undefined): CampaignFromCsvDto {
  if (raw === undefined || raw.trim() === '') {
    throw new AppError('validation_failed', 'campaign is required: the draft campaign as JSON (name, type, sender, steps, settings)', [
      { field: 'campaign', message: 'required' },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new AppError('validation_failed', 'campaign must be JSON', [{ field: 'campaign', message: 'not JSON' }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('validation_failed', 'campaign must be a JSON object', [{ field: 'campaign', message: 'not an object' }]);
  }
  if ('audience' in value) {
    throw new AppError('validation_failed', "campaign.audience is the file's rows: leave it out", [
      { field: 'campaign.audience', message: 'not allowed here' },
    ]);
  }
  const dto = plainToInstance(CampaignFromCsvDto, value);
  const details = problems(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }), 'campaign');
  if (details.length) throw new AppError('validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  return dto;
}
