import { describe, expect, it } from 'vitest'
import { jobStatusLabel } from './format'

describe('jobStatusLabel', () => {
  it('never calls an unfinished job "In progress": nothing may be running it (the app was closed or killed)', () => {
    expect(jobStatusLabel('active')).toBe('Not finished')
    expect(jobStatusLabel('succeeded')).toBe('Done')
  })
})
