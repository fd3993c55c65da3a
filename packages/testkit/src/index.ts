export { chunkings } from './chunkings.js';
export {
  FakeHidDevice,
  FakeHidProvider,
  hidPosReports,
  usKeyboardReports,
} from './fake-hid-device.js';
export type { FakeHidDeviceInfo } from './fake-hid-device.js';
export { redisTestResource, TEST_REDIS_URL } from './redis-resource.js';
export type { RedisTestResource } from './redis-resource.js';
export * from './redis-server-process.js';
export { socatPair, type SocatPair, type SocatPairOptions } from './socat-pair.js';
export { captureOutput, runProcess } from './process-output.js';
export type { CapturedOutput, ProcessResult } from './process-output.js';
export { CHROMIUM_PATH, launchHeadlessChromium } from './headless-chromium.js';
