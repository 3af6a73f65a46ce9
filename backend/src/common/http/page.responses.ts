import { ApiProperty } from '@nestjs/swagger';

/** The cursor of every paginated list: pass it back as `?cursor=` for the next page; null on the last one. */
export abstract class CursorPage {
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass back as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}
