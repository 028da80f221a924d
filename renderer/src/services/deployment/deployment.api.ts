/** Which platform this installation talks to, and whether it is the bundled demo. */

/** Where this installation points: a real platform, or the bundled demo platform. */
export interface DeploymentInfo {
  readonly platformUrl: string;
  /** True when nothing real is configured and the app runs against demo data: always shown on screen. */
  readonly demo: boolean;
  readonly stationName: string;
}
export interface DeploymentService {
  get(): Promise<DeploymentInfo>;
}
