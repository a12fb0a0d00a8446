import { useEffect, useRef, type InputHTMLAttributes } from 'react'

export type SecretInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'defaultValue' | 'onChange'> & {
  value: string
  onChange: (value: string) => void
}

/**
 * An input for an RPC URL that may carry an API key in its path. A controlled React input (and `defaultValue`) is
 * mirrored into the element's `value` ATTRIBUTE, so the key would sit in the page's markup; this one is uncontrolled
 * and sets only the `value` property (from the store when it changes there, e.g. a reset), never the attribute.
 */
export function SecretInput({ value, onChange, ...rest }: SecretInputProps) {
  const ref = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (ref.current && ref.current.value !== value) ref.current.value = value
  }, [value])
  return <input ref={ref} autoComplete="off" spellCheck={false} {...rest} onChange={(e) => onChange(e.target.value)} />
}
