"use client";
// The 2FA card's contents. It stays mounted while the page re-renders (each 2FA action revalidates it), so
// recovery codes just issued stay on screen until the user says they have saved them.
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EnrolTwoFactor } from "./enrol-two-factor";
import { ManageTwoFactor } from "./manage-two-factor";
import { RecoveryCodes, type IssuedCodes } from "./recovery-codes";

export type TwoFactorSummary = {
  enabled: boolean;
  /** Already formatted on the server (the one date formatter). */
  enabledAt: string;
  recoveryCodesLeft: number;
  recoveryCodesTotal: number;
};

export function TwoFactorPanel({ status }: { status: TwoFactorSummary }) {
  const [issued, setIssued] = useState<IssuedCodes | null>(null);
  // Cancel unmounts the set-up, so each one starts afresh from the password.
  const [settingUp, setSettingUp] = useState(false);

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        Status: {status.enabled ? <Badge tone="green">On</Badge> : <Badge tone="amber">Off</Badge>}
      </p>
      {issued ? (
        <RecoveryCodes issued={issued} onDone={() => setIssued(null)} />
      ) : status.enabled ? (
        <ManageTwoFactor
          enabledAt={status.enabledAt}
          recoveryCodesLeft={status.recoveryCodesLeft}
          recoveryCodesTotal={status.recoveryCodesTotal}
          onIssued={setIssued}
        />
      ) : settingUp ? (
        <EnrolTwoFactor
          onCancel={() => setSettingUp(false)}
          onEnabled={(codes) => {
            setSettingUp(false);
            setIssued(codes);
          }}
        />
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">
            With two-factor authentication, signing in takes your password and a code from an authenticator app on your
            phone, so a stolen password alone is not enough.
          </p>
          <Button onClick={() => setSettingUp(true)}>Set up two-factor authentication</Button>
        </div>
      )}
    </div>
  );
}
