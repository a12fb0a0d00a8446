import { describe, expect, it } from 'vitest'
import { jobHref, parseRoute } from './routeStore'

describe('parseRoute', () => {
  it('reads the job id from the hash and leaves its validation to the router', () => {
    expect(parseRoute('')).toEqual({ screen: 'start' })
    expect(parseRoute('#/')).toEqual({ screen: 'start' })
    expect(parseRoute('#/jobs/arb-escape-20261121-a1b2c3')).toEqual({ screen: 'job', jobId: 'arb-escape-20261121-a1b2c3' })
    expect(parseRoute('#/jobs/..%2F..%2Fetc')).toEqual({ screen: 'job', jobId: '../../etc' })
    expect(parseRoute('#/jobs/%E0%A4%A')).toEqual({ screen: 'job', jobId: '%E0%A4%A' })
    expect(parseRoute(jobHref('a b/c'))).toEqual({ screen: 'job', jobId: 'a b/c' })
  })
})
