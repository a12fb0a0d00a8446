import { formatEth, formatLocal, formatWei, utcTitle } from '../format'

/** An amount of ETH with its exact wei on hover (and for screen readers, after the ETH). */
export function Eth({ wei }: { wei: string }) {
  return (
    <span className="eth" title={formatWei(wei)}>
      {formatEth(wei)}
      <span className="visually-hidden"> ({formatWei(wei)})</span>
    </span>
  )
}

/** A date in local time with UTC on hover; "about" when it rests on the L1's measured block time. */
export function When({ iso, estimate = false }: { iso: string; estimate?: boolean }) {
  return (
    <time dateTime={iso} title={utcTitle(iso)}>
      {estimate ? 'about ' : ''}
      {formatLocal(iso)}
    </time>
  )
}
