import { useEffect, useRef } from 'react';

/**
 * The page's title: sets the document title and takes focus when the page opens, so screen-reader
 * and keyboard users land at the top of the new page after navigation.
 */
export function PageHeader({
  title,
  subtitle,
  actions,
  back,
}: {
  title: string;
  subtitle?: React.ReactNode;
  actions?: React.ReactNode;
  back?: React.ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Cadence`;
    ref.current?.focus();
  }, [title]);
  return (
    <header className="page-header">
      <div className="page-title">
        {back}
        <h1 ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
