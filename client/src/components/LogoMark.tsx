interface LogoMarkProps {
  size?: number;
}

/** The programme's mark: a green tile with the five-pointed star outline. Decorative only. */
export function LogoMark({ size = 40 }: LogoMarkProps) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="logo-mark">
      <rect width="32" height="32" rx="7" fill="var(--mantine-color-green-7)" />
      <path
        d="M16 5l2.6 7.9H27l-6.8 4.9 2.6 8L16 20.9l-6.8 4.9 2.6-8L5 12.9h8.4z"
        fill="none"
        stroke="#ffffff"
        strokeWidth="2"
        strokeLinejoin="round"
      />
      <circle cx="16" cy="16" r="2.2" fill="var(--mantine-color-red-7)" />
    </svg>
  );
}
