import { cleanup, fireEvent, render } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { SecretInput } from './SecretInput'

afterEach(cleanup)

const KEYED = 'https://rpc.example/v2/SECRETKEY123'

function Harness({ initial }: { initial: string }) {
  const [url, setUrl] = useState(initial)
  return (
    <>
      <SecretInput aria-label="L2 node" type="password" value={url} onChange={setUrl} />
      <button onClick={() => setUrl('')}>reset</button>
      <output>{url.length}</output>
    </>
  )
}

describe('SecretInput', () => {
  it('holds the typed URL as the input’s value but never writes it into the markup (a controlled input would)', () => {
    const { container, getByLabelText, getByText } = render(<Harness initial={KEYED} />)
    const input = getByLabelText('L2 node') as HTMLInputElement
    expect(input.value).toBe(KEYED)
    expect(container.innerHTML).not.toContain('SECRETKEY123')

    fireEvent.change(input, { target: { value: `${KEYED}456` } })
    expect(container.querySelector('output')!.textContent).toBe(String(KEYED.length + 3))
    expect(container.innerHTML).not.toContain('SECRETKEY123')

    fireEvent.click(getByText('reset'))
    expect(input.value).toBe('')
  })

  it('a controlled input leaks the key into the markup (why this component exists)', () => {
    const { container } = render(<input type="password" value={KEYED} onChange={() => {}} />)
    expect(container.innerHTML).toContain('SECRETKEY123')
  })
})
