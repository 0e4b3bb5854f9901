-- TPC-DS Q91 (Appendix B.91): catalog return losses per call center and manager in a given month, for
-- returning customers of two marital / education profiles with a given buy potential and GMT offset.
-- @param YEAR 1998 ~ uniform(1998, 2002)
-- @param MONTH 11 ~ uniform(11, 12)
-- @param BUY_POTENTIAL 'Unknown' ~ choice(['1001-5000', '>10000', '501-1000', '0-500', 'Unknown', '5001-10000'])
-- @param GMT -7 ~ choice([-6, -7])
select
    cc_call_center_id as call_center,
    cc_name as call_center_name,
    cc_manager as manager,
    sum(cr_net_loss) as returns_loss
from call_center, catalog_returns, date_dim, customer, customer_address, customer_demographics,
    household_demographics
where cr_call_center_sk = cc_call_center_sk
  and cr_returned_date_sk = d_date_sk
  and cr_returning_customer_sk = c_customer_sk
  and cd_demo_sk = c_current_cdemo_sk
  and hd_demo_sk = c_current_hdemo_sk
  and ca_address_sk = c_current_addr_sk
  and d_year = ${YEAR}
  and d_moy = ${MONTH}
  and (
        (cd_marital_status = 'M' and cd_education_status = 'Unknown')
     or (cd_marital_status = 'W' and cd_education_status = 'Advanced Degree')
  )
  and hd_buy_potential like '${BUY_POTENTIAL}%'
  and ca_gmt_offset = ${GMT}
group by cc_call_center_id, cc_name, cc_manager, cd_marital_status, cd_education_status
order by sum(cr_net_loss) desc
