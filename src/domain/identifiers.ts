/**
 * The shapes of AWS identifiers Rampart accepts from events and configuration, in one place.
 * A value that does not fit is refused where it enters, with the field named, instead of
 * reaching an SDK client (where a region like `...` becomes a retried endpoint error).
 */
export const ACCOUNT_ID = /^\d{12}$/;
/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1, ... */
export const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export const ACCOUNT_ID_EXPECTED = 'expected a 12-digit AWS account id';
export const AWS_REGION_EXPECTED = 'expected an AWS region such as eu-west-1';

export const isAccountId = (v: unknown): boolean => typeof v === 'string' && ACCOUNT_ID.test(v);
export const isAwsRegion = (v: unknown): boolean => typeof v === 'string' && AWS_REGION.test(v);
