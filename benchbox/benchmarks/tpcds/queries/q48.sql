-- TPC-DS Q48 (Appendix B.48): total quantity of store sales in a year for three combinations of marital
-- status, education and sales-price band, and three combinations of customer states and net-profit band.
-- The kit draws 3 distinct marital statuses, 3 distinct educations and 9 distinct states; the SQL uses
-- them one by one and the states in groups of three.
-- @param MARITAL ['M', 'D', 'S'] ~ sample(vocab('marital_status'), 3)
-- @param EDUCATION ['4 yr Degree', '2 yr Degree', 'College'] ~ sample(vocab('education'), 3)
-- @param STATES ['CO', 'OH', 'TX', 'OR', 'MN', 'KY', 'VA', 'CA', 'MS'] ~ sample(vocab('states'), 9)
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param MS_1 'M' ~ MARITAL[0]
-- @param MS_2 'D' ~ MARITAL[1]
-- @param MS_3 'S' ~ MARITAL[2]
-- @param ES_1 '4 yr Degree' ~ EDUCATION[0]
-- @param ES_2 '2 yr Degree' ~ EDUCATION[1]
-- @param ES_3 'College' ~ EDUCATION[2]
-- @param STATES_1 ['CO', 'OH', 'TX'] ~ [STATES[0], STATES[1], STATES[2]]
-- @param STATES_2 ['OR', 'MN', 'KY'] ~ [STATES[3], STATES[4], STATES[5]]
-- @param STATES_3 ['VA', 'CA', 'MS'] ~ [STATES[6], STATES[7], STATES[8]]
select sum(ss_quantity) as total_quantity
from store_sales, store, customer_demographics, customer_address, date_dim
where s_store_sk = ss_store_sk
  and ss_sold_date_sk = d_date_sk
  and d_year = ${YEAR}
  and cd_demo_sk = ss_cdemo_sk
  and ((cd_marital_status = '${MS_1}'
        and cd_education_status = '${ES_1}'
        and ss_sales_price between 100.00 and 150.00)
    or (cd_marital_status = '${MS_2}'
        and cd_education_status = '${ES_2}'
        and ss_sales_price between 50.00 and 100.00)
    or (cd_marital_status = '${MS_3}'
        and cd_education_status = '${ES_3}'
        and ss_sales_price between 150.00 and 200.00))
  and ss_addr_sk = ca_address_sk
  and ca_country = 'United States'
  and ((ca_state in (${STATES_1})
        and ss_net_profit between 0 and 2000)
    or (ca_state in (${STATES_2})
        and ss_net_profit between 150 and 3000)
    or (ca_state in (${STATES_3})
        and ss_net_profit between 50 and 25000))
